// A local server that speaks OpenAI's Chat Completions API (the part the copywriter uses), with
// faults on demand: "ok" answers with a valid structured draft, "error500" with a server error,
// "garbage" with a 200 whose content is not the JSON asked for, "hang" never answers. Put a
// FaultProxy in front of it for refused or reset connections.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type LlmMode = "ok" | "error500" | "garbage" | "hang";

export interface FakeLlm {
  port: number;
  mode: LlmMode;
  requests: number;
  close(): Promise<void>;
}

const draft = {
  subjects: ["Meet the Speckled Mug", "Something new for your table", "Seen what's new?"],
  previewText: "Our newest mug has arrived, and we wanted you to see it first.",
  headline: "Just in: Speckled Mug",
  body: ['Hi {{ first_name | default: "there" }}, something new has just arrived.', "The Speckled Mug is here.", "{{ product_block }}"],
  callToAction: "Take a look",
};

function completion(content: string) {
  return {
    id: "chatcmpl-faults",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "gpt-4.1-mini-2025-04-14",
    choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 900, completion_tokens: 200, total_tokens: 1_100 },
  };
}

export async function startFakeLlm(mode: LlmMode = "ok"): Promise<FakeLlm> {
  const held = new Set<ServerResponse>();
  const state = { mode, requests: 0 };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on("end", () => {
      state.requests++;
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      switch (state.mode) {
        case "hang":
          held.add(response);
          response.on("close", () => held.delete(response));
          return;
        case "error500":
          return json(500, { error: { message: "The server had an error while processing your request.", type: "server_error" } });
        case "garbage":
          return json(200, completion('{"subjects": ["Hi", <html>oops'));
        case "ok":
          return json(200, completion(JSON.stringify(draft)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get mode() {
      return state.mode;
    },
    set mode(next: LlmMode) {
      state.mode = next;
    },
    get requests() {
      return state.requests;
    },
    set requests(value: number) {
      state.requests = value;
    },
    async close() {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
