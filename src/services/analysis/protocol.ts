/**
 * The messages between the extension host and the analysis worker (worker.ts), over one MessagePort.
 * Plain data only (the structured clone: Maps are fine, functions are not). The worker keeps the text
 * of every document the host mirrors into it: `open` once, then each edit's `change`s, so an edit costs
 * the host the changed text only, never a copy of the document.
 */
import type { MessagePort } from 'node:worker_threads';
import type { CloudsAnalysis, ConvertOptions, ConversionResult } from '../../core/clouds/api';
import type { Finding } from '../../core/findings';
import type { TenantFacts } from '../../core/stacks/topology';

/** One change of an edit, as `TextDocumentContentChangeEvent` gives it (UTF-16 offsets of the text before it). */
export interface TextChange {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/** A file of an analysis: a mirrored document (by URI) or a text read from disk. */
export type FileRef = { readonly path: string; readonly uri: string } | { readonly path: string; readonly text: string };

export interface CloudsRefs {
  readonly clouds: FileRef;
  readonly secure?: FileRef;
  readonly public?: FileRef;
}

/** The options of the core without `readFile` (the worker reads a `cacert` itself, with the same bound). */
export type PlainConvertOptions = Omit<ConvertOptions, 'readFile'>;

/** What the worker computes; `uri` + `version` is the document the answer is for (stale once it changed). */
export type Job =
  | {
      readonly method: 'clouds';
      readonly uri: string;
      readonly version: number;
      readonly refs: CloudsRefs;
      readonly options: PlainConvertOptions;
    }
  | {
      readonly method: 'convert';
      readonly uri: string;
      readonly version: number;
      readonly refs: CloudsRefs;
      readonly cloud: string;
      readonly options: PlainConvertOptions;
    }
  | {
      readonly method: 'stacks';
      readonly uri: string;
      readonly version: number;
      readonly path: string;
      readonly schemaRunsToo: boolean;
      /** Tenant facts by namespace, each with an id that stays the same while the facts do. */
      readonly facts: Readonly<Record<string, { readonly id: number; readonly facts: TenantFacts }>>;
    }
  /** A method of the YAML service (src/editor/yamlService.ts), forwarded by name with its arguments as they are. */
  | { readonly method: 'yaml'; readonly name: string; readonly args: readonly unknown[] };

export interface JobResults {
  readonly clouds: CloudsAnalysis;
  readonly convert: ConversionResult;
  readonly stacks: { readonly findings: readonly Finding[]; readonly namespaces: readonly string[] };
  readonly yaml: unknown;
}

export type ToWorker =
  | { readonly type: 'open'; readonly uri: string; readonly version: number; readonly text: string }
  | {
      readonly type: 'change';
      readonly uri: string;
      readonly version: number;
      readonly changes: readonly TextChange[];
      readonly length: number;
    }
  | { readonly type: 'close'; readonly uri: string }
  /** The schema a document gets from the YAML service (the host recognises documents by name and content). */
  | { readonly type: 'schemaKind'; readonly uri: string; readonly kind: string | undefined }
  /** `key`: a later request with the same key supersedes this one while it waits. */
  | { readonly type: 'request'; readonly id: number; readonly key?: string; readonly job: Job }
  | { readonly type: 'cancel'; readonly id: number }
  /** Test hook: the worker throws outside any request (as a crash would). */
  | { readonly type: 'crash' };

export type FromWorker =
  | { readonly id: number; readonly result: unknown }
  /** Superseded by a later request or edit before it ran: nothing was computed. */
  | { readonly id: number; readonly stale: true }
  /** The mirrored text does not match the host's (a missed change): the host sends `open` again and retries. */
  | { readonly id: number; readonly desync: true }
  /** The job failed: the error's name only (a message may quote document text). */
  | { readonly id: number; readonly error: string };

/** What the host passes as `workerData`. */
export interface WorkerInit {
  readonly port: MessagePort;
  /** Where dist/yaml-service.js is (loaded on the first YAML service call). */
  readonly yamlServiceFile: string;
  /** The extension's schemas/ folder. */
  readonly schemaDir: string;
}
