/**
 * The one command base (after GitLens' `commands/commandBase.ts`). A command is a class that registers
 * itself in its constructor and implements `run(args)`; the base
 *  - normalises what VS Code or a script passes into one argument object (`normalizeArgs`): nothing
 *    (palette), a tree node (`{type: 'tenant', context, namespace}` …), a lens or editor-title call
 *    `(uri, cloud?)`, a plain string, or an argument object (scripts, tests), optionally followed by a
 *    second options object that is merged in;
 *  - refuses writing commands, and commands that send the workspace's credentials to a cloud, in
 *    Restricted Mode before anything else happens (package.json also disables them there with
 *    `enablement: isWorkspaceTrusted`);
 *  - turns `Cancelled` (a dismissed prompt) into a quiet end, `UserError` (a refusal or bad input) into
 *    an error notification with its text, and any other failure into an error notification with a
 *    sanitised one-line reason; all three are logged and never contain a secret value.
 * What a command returns is its own (tests and scripts read it); `refused`/`failed`/`cancelled` say
 * how the command reports the three endings (default: undefined). Everything a run acquires (leased
 * connections) goes into the run's `scope`, disposed when the run ends, however it ends.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../lifecycle';
import type { Ctx } from './ctx';
import type { CommandId } from './commandIds';
import { kube } from './kube';

/** A refusal or bad input: shown to the user as is, never contains a value. */
export class UserError extends Error {}

/** Thrown when the user dismisses a prompt; the command ends quietly. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export type Args = Readonly<Record<string, unknown>>;

/** A document argument as a Uri: a Uri, a URI string (`file:…`, `untitled:…`), or a file path. */
export function toUri(v: unknown): vscode.Uri | undefined {
  if (v instanceof vscode.Uri) return v;
  if (typeof v !== 'string' || v === '') return undefined;
  return /^[a-z][a-z0-9+.-]*:/i.test(v) ? vscode.Uri.parse(v) : vscode.Uri.file(v);
}

/** The document a command acts on: `args.uri`, else the active editor's. */
export function documentUri(args: Args): vscode.Uri | undefined {
  return toUri(args.uri) ?? vscode.window.activeTextEditor?.document.uri;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The argument object of a tree node (src/views/explorer/nodes.ts), by node type. */
function nodeArgs(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const base = { context: str(o.context), ...(str(o.namespace) ? { namespace: o.namespace } : {}) };
  switch (o.type) {
    case 'context':
    case 'message':
    case 'tenant':
      return base;
    case 'group':
      return { ...base, group: o.group };
    case 'object': {
      const object = { kind: o.kind, name: o.name };
      if (o.kind === 'clusters') return { ...base, object, clusters: [o.name] };
      if (o.kind === 'clusterclasses') return { ...base, object, className: o.name };
      return { ...base, object };
    }
    case 'release':
      return { ...base, object: { kind: 'clusterstackreleases', name: o.name } };
    case 'clusterCredentials':
    case 'condition':
      return { ...base, cluster: o.cluster, clusters: [o.cluster] };
    default:
      return undefined;
  }
}

/** One argument object from what VS Code or a script passed (see the file comment). */
function normalizeArgs(raw: readonly unknown[]): Args {
  const [a, b] = raw;
  const extra = b && typeof b === 'object' && !(b instanceof vscode.Uri) && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
  if (a instanceof vscode.Uri) return { uri: a, ...(typeof b === 'string' ? { cloud: b } : {}), ...extra };
  if (typeof a === 'string') return { text: a, ...extra };
  if (!a || typeof a !== 'object' || Array.isArray(a)) return { ...extra };
  const o = a as Record<string, unknown>;
  return { ...(nodeArgs(o) ?? o), ...extra };
}

export interface CommandMeta {
  readonly id: CommandId;
  /** The title of notifications and log lines ("Push to tenant"). */
  readonly title: string;
  /** Writes to a cluster: refused in Restricted Mode (package.json also disables it there). */
  readonly writes: boolean;
  /** Sends the workspace's credentials to a server the workspace names (Keystone): refused in Restricted Mode too. */
  readonly reachesOut?: boolean;
}

export abstract class Command<R> {
  constructor(
    protected readonly ctx: Ctx,
    readonly meta: CommandMeta,
  ) {
    ctx.own(ctx.registerCommand(meta.id, (...raw: unknown[]) => this.execute(raw)));
  }

  protected abstract run(args: Args, scope: DisposableStore): Promise<R>;

  /** The result of a refusal (UserError, Restricted Mode). */
  protected refused(_message: string): R | undefined {
    return undefined;
  }

  /** The result of a failure. */
  protected failed(message: string): R | undefined {
    return this.refused(message);
  }

  /** The result of a dismissed prompt. */
  protected cancelled(): R | undefined {
    return undefined;
  }

  async execute(raw: readonly unknown[]): Promise<R | undefined> {
    const { title } = this.meta;
    const scope = new DisposableStore();
    try {
      if (this.meta.writes && !vscode.workspace.isTrusted)
        throw new UserError(`${title}: writing is disabled in Restricted Mode. Trust this workspace to use this command.`);
      if (this.meta.reachesOut && !vscode.workspace.isTrusted)
        throw new UserError(`${title}: talking to a cloud is disabled in Restricted Mode. Trust this workspace to use this command.`);
      return await this.run(normalizeArgs(raw), scope);
    } catch (e) {
      if (e instanceof Cancelled) return this.cancelled();
      const refusal = e instanceof UserError;
      const message = refusal ? e.message : (await kube()).reasonOf(e);
      const text = message.startsWith(`${title}:`) ? message : `${title}: ${message}`;
      this.ctx.log.error(text);
      void vscode.window.showErrorMessage(text);
      return refusal ? this.refused(message) : this.failed(message);
    } finally {
      scope.dispose();
    }
  }
}
