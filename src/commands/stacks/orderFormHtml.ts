/**
 * The order form's page: plain HTML controls (labels, fieldsets, native inputs and selects, one submit
 * button), so it is usable with the keyboard alone and by screen readers; colours and fonts only from
 * VS Code's theme variables. The script sends every change and the submit to the extension, which
 * answers with the validation messages (the schema's, per field); it shows them under their field,
 * marks the field `aria-invalid`, and on a refused submit moves the focus to the first one. No value
 * ever leaves the webview except to the extension.
 */
import type { WorkloadStyle } from '../../core/manifests/credentials';
import type { FormField } from '../../core/ops/formModel';
import type { OrderFormModel } from '../../core/ops/order';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const domId = (id: string): string => `f-${id.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0)}`)}`;

function hint(f: FormField): string {
  const parts = [
    f.description,
    f.default !== undefined ? `Default: ${show(f.default)}` : undefined,
    f.constraints.length ? f.constraints.join(', ') : undefined,
    f.serverChecks.length ? `checked by the server: ${f.serverChecks.join(', ')}` : undefined,
  ].filter(Boolean);
  return parts.length ? `<div class="hint" id="${domId(f.id)}-hint">${esc(parts.join(' · '))}</div>` : '';
}

function control(f: FormField): string {
  const id = domId(f.id);
  const common = `id="${id}" data-var="${esc(f.id)}" aria-describedby="${id}-hint ${id}-msg"${f.required ? ' aria-required="true"' : ''}`;
  const placeholder =
    f.default !== undefined
      ? ` placeholder="${esc(show(f.default))}"`
      : f.example !== undefined
        ? ` placeholder="${esc(show(f.example))}"`
        : '';
  if (f.kind === 'boolean' || f.kind === 'enum') {
    const options = f.kind === 'boolean' ? ['true', 'false'] : (f.enum ?? []).map(show);
    const none = f.default !== undefined ? `default (${show(f.default)})` : 'not set';
    return `<select ${common}><option value="">${esc(none)}</option>${options.map((o) => `<option value="${esc(o)}">${esc(o)}</option>`).join('')}</select>`;
  }
  if (f.kind === 'json' || f.kind === 'list') return `<textarea ${common} rows="2" spellcheck="false"${placeholder}></textarea>`;
  const mode = f.kind === 'integer' ? ' inputmode="numeric"' : f.kind === 'number' ? ' inputmode="decimal"' : '';
  return `<input type="text" ${common}${mode}${placeholder} spellcheck="false">`;
}

function fieldHtml(f: FormField): string {
  if (f.kind === 'object' && f.fields)
    return `<fieldset class="group"><legend>${esc(f.label)}${f.required ? ' *' : ''}</legend>${hint(f)}${f.fields.map(fieldHtml).join('')}</fieldset>`;
  const id = domId(f.id);
  return `<div class="field"><label for="${id}">${esc(f.label)}${f.required ? ' *' : ''} <code>${esc(f.id)}</code></label>${control(f)}${hint(f)}<div class="msg" id="${id}-msg" role="status"></div></div>`;
}

export function orderFormHtml(
  model: OrderFormModel,
  opts: { readonly nonce: string; readonly cspSource: string; readonly context: string; readonly styles: readonly WorkloadStyle[] },
): string {
  const workers = model.workers
    .map(
      (w, i) => `<fieldset class="worker" data-class="${esc(w.class)}"><legend>Worker class <code>${esc(w.class)}</code></legend>
  <label class="inline"><input type="checkbox" id="w${i}-on"${w.enabled ? ' checked' : ''}> Create a MachineDeployment of this class</label>
  <div class="row"><div class="field"><label for="w${i}-name">MachineDeployment name</label><input type="text" id="w${i}-name" value="${esc(w.name)}" aria-describedby="w${i}-name-msg"><div class="msg" id="w${i}-name-msg" role="status"></div></div>
  <div class="field"><label for="w${i}-replicas">Replicas</label><input type="text" inputmode="numeric" id="w${i}-replicas" value="${w.replicas}" aria-describedby="w${i}-replicas-msg"><div class="msg" id="w${i}-replicas-msg" role="status"></div></div></div>
</fieldset>`,
    )
    .join('');
  const styleOptions = [
    `<option value="">${esc(model.credentials ? `as the class expects (${model.credentials})` : 'not set')}</option>`,
    ...opts.styles.map((s) => `<option value="${esc(s)}">${esc(s)}</option>`),
    '<option value="none">none</option>',
  ].join('');
  const problems = model.problems.length
    ? `<div class="problems" role="alert"><strong>This class cannot be ordered from now:</strong><ul>${model.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></div>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${opts.cspSource} 'nonce-${opts.nonce}'; script-src 'nonce-${opts.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Order workload cluster</title>
<style nonce="${opts.nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 24px; max-width: 760px; }
h1 { font-size: 1.4em; font-weight: 600; } .sub { color: var(--vscode-descriptionForeground); margin-top: -8px; }
fieldset { border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border)); border-radius: 4px; margin: 12px 0; padding: 8px 12px; }
legend { font-weight: 600; padding: 0 4px; }
.field { margin: 10px 0; flex: 1; } .row { display: flex; gap: 12px; }
label { display: block; margin-bottom: 3px; } label.inline { display: flex; gap: 6px; align-items: center; }
label code, legend code { color: var(--vscode-descriptionForeground); font-family: var(--vscode-editor-font-family); font-size: 0.9em; }
input[type=text], select, textarea { box-sizing: border-box; width: 100%; padding: 4px 6px; color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); border-radius: 2px; font-family: inherit; font-size: inherit; }
select { color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background); border-color: var(--vscode-dropdown-border, transparent); }
textarea { font-family: var(--vscode-editor-font-family); }
input:focus, select:focus, textarea:focus, button:focus, input[type=checkbox]:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
[aria-invalid=true] { border-color: var(--vscode-inputValidation-errorBorder) !important; }
.hint { color: var(--vscode-descriptionForeground); font-size: 0.92em; margin-top: 2px; }
.msg { color: var(--vscode-errorForeground); font-size: 0.92em; margin-top: 2px; min-height: 0; } .msg.warning { color: var(--vscode-editorWarning-foreground); }
.problems { border-left: 3px solid var(--vscode-inputValidation-errorBorder); padding: 4px 10px; background: var(--vscode-inputValidation-errorBackground); }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 6px 14px; border-radius: 2px; cursor: pointer; font-size: inherit; }
button:hover { background: var(--vscode-button-hoverBackground); }
#summary { margin: 12px 0; }
</style></head>
<body>
<h1>Order workload cluster</h1>
<p class="sub">From ClusterClass <code>${esc(model.className)}</code> · tenant <code>${esc(model.namespace)}</code> · ${esc(opts.context)} · Kubernetes ${esc(model.kubernetesVersion ?? 'unknown')} (release ${esc(model.release.name)}: ${esc(model.release.readiness)})</p>
${problems}
<form id="order" novalidate>
<fieldset><legend>Cluster</legend>
<div class="field"><label for="name">Name *</label><input type="text" id="name" aria-required="true" aria-describedby="name-msg" spellcheck="false" autofocus><div class="msg" id="name-msg" role="status"></div></div>
<div class="field"><label for="controlPlaneReplicas">Control-plane nodes</label><input type="text" inputmode="numeric" id="controlPlaneReplicas" value="${model.controlPlaneReplicas}" aria-describedby="controlPlaneReplicas-hint controlPlaneReplicas-msg"><div class="hint" id="controlPlaneReplicas-hint">An odd number: etcd keeps quorum with (n-1)/2 failed members</div><div class="msg" id="controlPlaneReplicas-msg" role="status"></div></div>
<div class="field"><label for="credentials">Credentials label (managed-secret)</label><select id="credentials" aria-describedby="credentials-hint">${styleOptions}</select><div class="hint" id="credentials-hint">Which ClusterResourceSet delivers the cloud credentials to the cluster</div></div>
</fieldset>
<fieldset><legend>Workers</legend><div class="msg" id="workers-msg" role="status"></div>${workers}</fieldset>
<fieldset><legend>Variables of ${esc(model.className)}</legend><p class="hint">Leave a field empty to keep the class's default.</p>${model.variables.map(fieldHtml).join('')}</fieldset>
<div id="summary" role="alert" aria-live="assertive"></div>
<button type="submit" id="submit">Review Cluster manifest</button>
</form>
<script nonce="${opts.nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  const form = document.getElementById('order');
  const workerSets = Array.from(document.querySelectorAll('fieldset.worker'));
  function raw() {
    const variables = {};
    for (const el of form.querySelectorAll('[data-var]')) variables[el.dataset.var] = el.value;
    return {
      name: document.getElementById('name').value,
      controlPlaneReplicas: document.getElementById('controlPlaneReplicas').value,
      credentials: document.getElementById('credentials').value,
      workers: workerSets.map((fs, i) => ({
        class: fs.dataset.class,
        enabled: document.getElementById('w' + i + '-on').checked,
        name: document.getElementById('w' + i + '-name').value,
        replicas: document.getElementById('w' + i + '-replicas').value,
      })),
      variables,
    };
  }
  function target(field) {
    const w = /^workers\\[(\\d+)\\]\\.(\\w+)$/.exec(field);
    if (w) {
      const enabled = workerSets.map((_, i) => i).filter((i) => document.getElementById('w' + i + '-on').checked);
      const row = enabled[Number(w[1])];
      return row === undefined ? undefined : 'w' + row + '-' + (w[2] === 'name' ? 'name' : 'replicas');
    }
    if (field === 'name' || field === 'controlPlaneReplicas' || field === 'workers') return field;
    const el = form.querySelector('[data-var="' + CSS.escape(field.replace(/\\[\\d+\\]/g, '')) + '"]');
    return el ? el.id : undefined;
  }
  let submitting = false;
  window.addEventListener('message', (e) => {
    const m = e.data;
    if (!m || m.type !== 'messages') return;
    for (const el of form.querySelectorAll('.msg')) { el.textContent = ''; el.classList.remove('warning'); }
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    const unplaced = [];
    let first;
    for (const msg of m.messages) {
      const id = target(msg.field);
      const box = id && document.getElementById(id + '-msg');
      if (!box) { unplaced.push(msg.message); continue; }
      box.textContent = (box.textContent ? box.textContent + ' · ' : '') + msg.message;
      if (msg.severity === 'warning') box.classList.add('warning');
      else { const input = document.getElementById(id); if (input) { input.setAttribute('aria-invalid', 'true'); first = first || input; } }
    }
    const errors = m.messages.filter((x) => x.severity !== 'warning').length;
    document.getElementById('summary').textContent = unplaced.concat(errors ? [errors + ' problem' + (errors === 1 ? '' : 's') + ' to fix before the manifest can be reviewed'] : []).join(' · ');
    if (submitting && first) first.focus();
    submitting = false;
  });
  form.addEventListener('input', () => vscode.postMessage({ type: 'change', values: raw() }));
  form.addEventListener('submit', (e) => { e.preventDefault(); submitting = true; vscode.postMessage({ type: 'submit', values: raw() }); });
})();
</script>
</body></html>`;
}
