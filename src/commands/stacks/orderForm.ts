/**
 * The order form as a webview panel: shows the form of a ClusterClass (orderFormHtml.ts), answers every
 * change with the validation messages of `orderManifest` (names, counts, worker classes, the variable
 * schemas, the topology rules), and resolves with the Cluster manifest when a submit validates — or with
 * undefined when the user closes the panel. The panel is disposed with the run's scope.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { KubeObject } from '../../core/capi/types';
import { WORKLOAD_STYLES } from '../../core/manifests/credentials';
import type { FieldMessage } from '../../core/ops/formModel';
import { orderManifest, type OrderFormModel } from '../../core/ops/order';
import { orderValuesOf, type RawOrder } from '../../core/ops/orderInput';
import type { DisposableStore } from '../../lifecycle';
import { orderFormHtml } from './orderFormHtml';

export interface FormLive {
  readonly clusterClass: KubeObject;
  readonly releases: readonly KubeObject[];
  readonly existingNames: readonly string[];
}

function check(model: OrderFormModel, raw: RawOrder, live: FormLive): { messages: FieldMessage[]; manifest?: Record<string, unknown> } {
  const { values, messages: parse } = orderValuesOf(model, raw);
  const r = orderManifest(model, values, live);
  const messages = [
    ...parse,
    ...r.messages.filter((m) => !parse.some((p) => p.field === m.field)),
    ...r.issues.filter((i) => i.severity === 'error').map((i) => ({ field: i.path.join('.'), message: `${i.code}: ${i.message}` })),
  ];
  const ok = r.ok && !parse.length;
  return ok ? { messages, manifest: r.manifest } : { messages };
}

/** Opens the form; resolves with the validated manifest, or undefined when the panel is closed. */
export function openOrderForm(
  model: OrderFormModel,
  live: FormLive,
  context: string,
  scope: DisposableStore,
): Promise<Record<string, unknown> | undefined> {
  const panel = vscode.window.createWebviewPanel('clusterStacks.orderForm', `Order from ${model.className}`, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [],
  });
  scope.add(panel);
  const nonce = randomBytes(16).toString('base64');
  panel.webview.html = orderFormHtml(model, { nonce, cspSource: panel.webview.cspSource, context, styles: WORKLOAD_STYLES });
  return new Promise((resolve) => {
    let done = false;
    const finish = (m: Record<string, unknown> | undefined): void => {
      if (done) return;
      done = true;
      resolve(m);
    };
    scope.add(panel.onDidDispose(() => finish(undefined)));
    scope.add(
      panel.webview.onDidReceiveMessage((msg: { type?: string; values?: RawOrder }) => {
        if (!msg?.values || (msg.type !== 'change' && msg.type !== 'submit')) return;
        const r = check(model, msg.values, live);
        void panel.webview.postMessage({ type: 'messages', messages: r.messages });
        if (msg.type === 'submit' && r.manifest) {
          finish(r.manifest);
          panel.dispose();
        }
      }),
    );
  });
}
