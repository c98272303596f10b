/**
 * The contract of the clouds.yaml → cloud.conf core, used by the CLI, the editor features and the
 * credential commands. Pure TypeScript: no `vscode`, no network, no file system except through the
 * `readFile` callback the caller passes in.
 *
 * Implemented by `./index.ts`: analyzeClouds(input, options?), convertCloud(input, cloud, options?),
 * identitySecretPayload(input, cloud, options?), selectCloud(input, requested?). Rule codes: codes.ts;
 * which reader the conversion follows where Go and Python differ: docs/conformance-policy.md.
 */
import type { Finding, Range } from '../findings';
import type { ConfSection } from '../gcfg/encode';

import type { SourceFile } from '../source';

export type { SourceFile } from '../source';

/** The files a client reads for one clouds.yaml: profile < clouds < secure (domain.md §6.1). */
export interface CloudsInput {
  readonly clouds: SourceFile;
  readonly secure?: SourceFile;
  readonly public?: SourceFile;
}

export type LoadBalancerVariant = 'scs' | 'ovn' | 'none';

export interface ConvertOptions {
  /** `[LoadBalancer]` defaults: csp-helper's (`scs`), plus OVN (`ovn`), or none. Default `scs`. */
  readonly lb?: LoadBalancerVariant;
  /** Where the PEM is mounted in the pod; default `/etc/config/cacert` (csp-helper, chart-mounted cloud-config). */
  readonly caFileInPod?: string;
  /** Extra sections/keys the user wants in cloud.conf; validated against the OCCM/CSI keys. */
  readonly extraSections?: readonly ConfSection[];
  /**
   * Reads a local file (for `cacert`): its text, or why it cannot be read (`{ unreadable }`, the end of
   * "cannot read FILE: …"), or undefined without a reason. Must not block or grow without bound on a
   * device or a pipe (src/io/readBounded.ts does it right).
   */
  readonly readFile?: (path: string) => string | undefined | { readonly unreadable: string };
}

/** Where a cloud is defined, for lenses and for choosing one. */
export interface CloudInfo {
  readonly name: string;
  /** Range of the cloud's key under `clouds:` in the clouds file. */
  readonly keyRange: Range;
  /** Range of the whole entry (key and value). */
  readonly range: Range;
  /** The effective auth type after inference, e.g. `v3applicationcredential`. */
  readonly authType: string;
}

/** Findings of one file, keyed by the file's `path`. */
export type FindingsByFile = ReadonlyMap<string, readonly Finding[]>;

export interface CloudsAnalysis {
  readonly clouds: readonly CloudInfo[];
  /** Every finding of every input file (parse errors, rules), per file path. */
  readonly findings: FindingsByFile;
  /** Findings that concern one cloud, for the lens summary, keyed by cloud name. */
  readonly findingsByCloud: ReadonlyMap<string, readonly Finding[]>;
}

export interface ConvertedCloud {
  readonly ok: true;
  readonly cloud: string;
  readonly sections: readonly ConfSection[];
  /** The cloud.conf text (unmasked). */
  readonly text: string;
  /** PEM to ship as secret key `cacert` when the cloud has a CA. */
  readonly cacert?: string;
  /** Warnings that did not prevent the conversion. */
  readonly findings: FindingsByFile;
}

export interface ConversionFailure {
  readonly ok: false;
  readonly cloud: string;
  /** Located errors; each message says how to fix it. */
  readonly findings: FindingsByFile;
}

export type ConversionResult = ConvertedCloud | ConversionFailure;

/** The CAPO/CSPO identity secret's `stringData` (domain.md §(c)): flattened, because CAPO resolves neither profile nor secure.yaml. */
export interface IdentitySecretPayload {
  readonly 'clouds.yaml': string;
  readonly cloudName: string;
  readonly cacert?: string;
}

export type IdentitySecretResult =
  | { readonly ok: true; readonly cloud: string; readonly payload: IdentitySecretPayload; readonly findings: FindingsByFile }
  | ConversionFailure;
