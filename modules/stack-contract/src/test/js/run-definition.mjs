// Runs one execution of a Step Functions definition in aws-local-stepfunctions with scripted task results.
// Requests (stdin, one JSON document per line): {definition: path, input: any JSON, executionId: string,
//   responses: {TaskStateName: [{result: any} | {error: "Sqs.X", cause: "..."}, ...]}}
// The n-th call of a task state gets the n-th scripted response (the last one repeats). Waits and retry intervals
// are zero. Answers (stdout, one line each): {status, error, cause, output, calls: [{state, input}], states: [entered, ...]}.
import fs from 'node:fs';
import readline from 'node:readline';

// aws-local-stepfunctions 3 asks for Node 22; Promise.withResolvers is the only newer API it uses on this path
Promise.withResolvers ??= function withResolvers() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
};
const { StateMachine } = await import('aws-local-stepfunctions');

async function run(request) {
  const definition = JSON.parse(fs.readFileSync(request.definition, 'utf8'));
  const calls = [];
  const taskHandlers = {};
  const waitTimeOverrides = {};
  const retryIntervalOverrides = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Task') {
      retryIntervalOverrides[name] = 0;
      taskHandlers[name] = async (input) => {
        calls.push({ state: name, input });
        const script = request.responses[name] ?? [];
        const made = calls.filter((c) => c.state === name).length;
        const step = script[Math.min(made, script.length) - 1];
        if (step === undefined) {
          const e = new Error(`no scripted response for task state ${name}`);
          e.name = 'Test.NoScriptedResponse';
          throw e;
        }
        if (step.error !== undefined) {
          const e = new Error(step.cause ?? step.error);
          e.name = step.error;
          throw e;
        }
        return step.result;
      };
    } else if (state.Type === 'Wait') {
      waitTimeOverrides[name] = 0;
    }
  }

  const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  const execution = machine.run(request.input, {
    overrides: { taskResourceLocalHandlers: taskHandlers, waitTimeOverrides, retryIntervalOverrides },
    context: { Execution: { Id: request.executionId } },
  });
  const events = [];
  const collected = (async () => { for await (const e of execution.eventLogs) events.push(e); })();
  try {
    await execution.result;
  } catch {
    // the ExecutionFailed event says why
  }
  await collected;
  const end = events.find((e) => e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed');
  return JSON.stringify({
    status: end?.type === 'ExecutionSucceeded' ? 'SUCCEEDED' : 'FAILED',
    error: end?.Error ?? null,
    cause: end?.Cause === undefined ? null : String(end.Cause),
    output: end?.output ?? null,
    calls,
    states: events.filter((e) => e.type === 'StateEntered').map((e) => e.state.name),
  });
}

// one request per line on stdin, one answer per line on stdout: the interpreter loads once for all of a test class
const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() !== '') {
    process.stdout.write(`${await run(JSON.parse(line))}\n`);
  }
}
