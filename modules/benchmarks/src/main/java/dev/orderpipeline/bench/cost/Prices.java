package dev.orderpipeline.bench.cost;

/**
 * AWS list prices, us-east-1, on-demand, without free tiers. First written from memory (2025-06); checked on
 * 2026-11-26 against stored copies of aws.amazon.com/lambda/pricing and several third-party price summaries (Lambda,
 * DynamoDB on-demand after the November 2024 cut, API Gateway HTTP API): the figures below agree with them. Not checked
 * against a live pricing page or the Price List API, so verify before quoting. Every one can be overridden with a
 * {@code bench cost} flag.
 *
 * @param lambdaGbSecond      Lambda arm64 (the template's architecture), first 7.5 billion GB-s/month: $0.0000133334
 *                            (x86_64 would be $0.0000166667)
 * @param lambdaRequest       Lambda requests: $0.20 per million
 * @param apiRequest          API Gateway HTTP API, first 300 million/month: $1.00 per million (per 512 KB)
 * @param sqsRequest          SQS standard queue: $0.40 per million requests (each 64 KB chunk of a payload is one)
 * @param dynamoDbWru         DynamoDB on-demand write request unit: $0.625 per million (after the Nov 2024 price cut)
 * @param dynamoDbRru         DynamoDB on-demand read request unit: $0.125 per million
 * @param eventBridgeEvent    EventBridge custom event published: $1.00 per million (each 64 KB chunk is one)
 * @param eventBridgeArchiveGb EventBridge archive: $0.10 per GB of events archived (storage $0.023/GB-month extra)
 * @param logsIngestGb        CloudWatch Logs standard ingestion: $0.50 per GB
 */
public record Prices(double lambdaGbSecond, double lambdaRequest, double apiRequest, double sqsRequest,
                     double dynamoDbWru, double dynamoDbRru, double eventBridgeEvent, double eventBridgeArchiveGb,
                     double logsIngestGb) {
    public static final String AS_OF = "2026-11-26 (list prices, us-east-1, checked against stored copies of the pricing pages; verify)";

    public static Prices usEast1() {
        return new Prices(0.0000133334, 0.20 / 1e6, 1.00 / 1e6, 0.40 / 1e6, 0.625 / 1e6, 0.125 / 1e6, 1.00 / 1e6,
                0.10, 0.50);
    }
}
