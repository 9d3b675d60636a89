package dev.orderpipeline.emulator.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.CreateEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;

class EventBusOperationsIT extends EventBridgeFixture {
    @Test
    void createEventBus_whenNameIsNew_thenDescribeReturnsNameAndArn() {
        String name = LocalEventBridge.unique("orders");

        CreateEventBusResponse created =
                events.createEventBus(request -> request.name(name).description("order events"));
        DescribeEventBusResponse described = events.describeEventBus(request -> request.name(name));

        String arn = "arn:aws:events:us-east-1:000000000000:event-bus/" + name;
        assertThat(created.eventBusArn()).isEqualTo(arn);
        assertThat(described.name()).isEqualTo(name);
        assertThat(described.arn()).isEqualTo(arn);
        assertThat(described.description()).isEqualTo("order events");
        assertThat(described.creationTime()).isNotNull();
    }

    @Test
    void describeEventBus_whenNameIsAnArn_thenDescribesThatBus() {
        String name = LocalEventBridge.unique("orders");
        String arn = events.createEventBus(request -> request.name(name)).eventBusArn();

        assertThat(events.describeEventBus(request -> request.name(arn)).name()).isEqualTo(name);
    }

    @Test
    void describeEventBus_whenNameOmitted_thenDescribesDefaultBus() {
        DescribeEventBusResponse described = events.describeEventBus(request -> { });

        assertThat(described.name()).isEqualTo("default");
        assertThat(described.arn()).isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/default");
    }

    @Test
    void createEventBus_whenBusExists_thenResourceAlreadyExists() {
        String name = LocalEventBridge.unique("orders");
        events.createEventBus(request -> request.name(name));

        assertThatThrownBy(() -> events.createEventBus(request -> request.name(name)))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining("Event bus " + name + " already exists.");
        assertThatThrownBy(() -> events.createEventBus(request -> request.name("default")))
                .isInstanceOf(ResourceAlreadyExistsException.class);
    }

    @Test
    void describeEventBus_whenBusIsMissing_thenResourceNotFound() {
        assertThatThrownBy(() -> events.describeEventBus(request -> request.name("no-such-bus")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Event bus no-such-bus does not exist.");
    }

    @Test
    void deleteEventBus_whenBusExists_thenItIsGoneWithItsRules() {
        String name = LocalEventBridge.unique("orders");
        events.createEventBus(request -> request.name(name));
        events.putRule(request -> request.name("r").eventBusName(name).eventPattern("{\"source\":[\"shop\"]}"));

        events.deleteEventBus(request -> request.name(name));

        assertThatThrownBy(() -> events.describeEventBus(request -> request.name(name)))
                .isInstanceOf(ResourceNotFoundException.class);
        events.createEventBus(request -> request.name(name));
        assertThat(events.listRules(request -> request.eventBusName(name)).rules()).isEmpty();
    }

    @Test
    void deleteEventBus_whenDefault_thenValidationException() {
        assertThatThrownBy(() -> events.deleteEventBus(request -> request.name("default")))
                .hasMessageContaining("Cannot delete event bus default.")
                .isInstanceOfSatisfying(EventBridgeException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void createEventBus_whenNameBreaksConstraint_thenValidationException() {
        assertThatThrownBy(() -> events.createEventBus(request -> request.name("orders bus")))
                .hasMessageContaining("Member must satisfy regular expression pattern")
                .isInstanceOfSatisfying(EventBridgeException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

}
