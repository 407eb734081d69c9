/**
 * The wire format of the YandexGPT Foundation Models REST API (synchronous text generation),
 * shared by the client and the loopback fake so both speak exactly the same shapes.
 *
 * Reference: https://yandex.cloud/en/docs/ai-studio/text-generation/api-ref/TextGeneration/completion
 * (proto: yandex/cloud/ai/foundation_models/v1/text_generation). The REST gateway renders proto3
 * JSON: int64 fields (token counts, `maxTokens`) travel as decimal strings, enums as their names.
 */

/** The production API root; `YANDEX_GPT_BASE_URL` overrides it (tests aim it at loopback). */
export const YANDEX_GPT_DEFAULT_BASE_URL = 'https://llm.api.cloud.yandex.net';

/** Path of the synchronous completion method, appended to the API root. */
export const YANDEX_GPT_COMPLETION_PATH = '/foundationModels/v1/completion';

/** Roles the API accepts in `messages`. */
export type YandexGptRole = 'system' | 'user' | 'assistant';

export interface YandexGptMessage {
  role: YandexGptRole;
  text: string;
}

export interface YandexGptCompletionOptions {
  /** Always false here: the client reads one JSON object, not a stream of partial results. */
  stream: boolean;
  /** Sampling temperature, 0…1. */
  temperature?: number;
  /** int64 as a decimal string (proto3 JSON), e.g. `"2000"`. */
  maxTokens?: string;
}

/** Body of `POST /foundationModels/v1/completion`. */
export interface YandexGptCompletionRequest {
  /** `gpt://<folderId>/<model>`, e.g. `gpt://b1g…/yandexgpt-lite/latest`. */
  modelUri: string;
  completionOptions?: YandexGptCompletionOptions;
  messages: YandexGptMessage[];
  /** Structured output: the answer follows this JSON schema (one of `jsonSchema` / `jsonObject`). */
  jsonSchema?: { schema: object };
  /** Structured output: any JSON object (one of `jsonSchema` / `jsonObject`). */
  jsonObject?: boolean;
}

/**
 * How generation of one alternative ended. `PARTIAL` appears only while streaming;
 * `TOOL_CALLS` only when tools were offered (this project offers none).
 */
export type YandexGptAlternativeStatus =
  | 'ALTERNATIVE_STATUS_UNSPECIFIED'
  | 'ALTERNATIVE_STATUS_PARTIAL'
  | 'ALTERNATIVE_STATUS_TRUNCATED_FINAL'
  | 'ALTERNATIVE_STATUS_FINAL'
  | 'ALTERNATIVE_STATUS_CONTENT_FILTER'
  | 'ALTERNATIVE_STATUS_TOOL_CALLS';

export interface YandexGptAlternative {
  message: YandexGptMessage;
  status: YandexGptAlternativeStatus;
}

/** Token counts; int64 rendered as decimal strings. */
export interface YandexGptUsage {
  inputTextTokens: string;
  completionTokens: string;
  totalTokens: string;
}

export interface YandexGptCompletionResult {
  alternatives: YandexGptAlternative[];
  usage: YandexGptUsage;
  /** Changes with each model release, e.g. `"23.10.2024"`. */
  modelVersion: string;
}

/** A successful (HTTP 200) answer with `stream: false`. */
export interface YandexGptCompletionResponse {
  result: YandexGptCompletionResult;
}

/** The gRPC-gateway error envelope every non-2xx answer carries. */
export interface YandexGptErrorResponse {
  error: {
    /** gRPC status code, e.g. 3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED, 16 UNAUTHENTICATED. */
    grpcCode: number;
    httpCode: number;
    message: string;
    /** The HTTP reason phrase, e.g. `"Too Many Requests"`. */
    httpStatus: string;
    details?: unknown[];
  };
}
