// Request bodies decoded as kube-apiserver's handlers do, with the `fieldValidation` directive deciding
// what a strict decoding error does: Strict fails the request, Warn (the server default) turns each error
// into a `Warning: 299` header, Ignore drops unknown fields silently. Sources:
//   kubernetes/apiserver@v0.32.0 (9d863059) pkg/endpoints/handlers/create.go:119-143 (and update.go alike:
//     400 "<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error: …"),
//     rest.go:246-257 (transformDecodeError), :356-371 (summarizeData), :405-447 (the directive, YAML warnings),
//     patch.go:322-437 (JSON and merge patches: the patch itself strictly read, the patched object strictly
//     decoded, 422 "patch: Invalid value"), :548-600 and :736-790 (strategic merge patches), :500-530 (apply);
//   kubernetes/apimachinery@v0.32.0 pkg/runtime/serializer/json/json.go:135-213 and meta.go:48-63 (decoding,
//     "couldn't get version/kind; json parse error"), pkg/runtime/error.go (strict decoding error text).
import { load as loadYaml } from 'js-yaml';
import { field } from './fielderrors';
import { Duplicate, fromValue, JsonNode, JsonSyntaxError, parseJson, toValue } from './gojson';
import { FieldValidation } from './params';
import { decodeProtobuf, PROTOBUF } from './protobuf';
import { groupVersionOf, ResourceType } from './resources';
import { Decoded, decodeObject, modelFor } from './schema';
import { errors } from './status';
import { KubeObject } from './store';

const isObject = (v: unknown): v is KubeObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const FIND_KIND_TYPE = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

function summarizeData(body: Buffer): string {
  if (!body.length) return '<empty>';
  const head = body.subarray(0, 30);
  const text = body[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return body.length > 30 ? `${text} ...` : text;
}

function versionOf(apiVersion: unknown): string {
  return typeof apiVersion === 'string' ? (apiVersion.split('/').pop() ?? '') : '';
}

/** The version whose schema decodes the body: the object's own when the type serves it, else the path's. */
function decodeVersion(t: ResourceType, pathVersion: string, obj: KubeObject): string {
  const v = versionOf(obj.apiVersion);
  return typeof obj.apiVersion === 'string' && t.versions.map((x) => groupVersionOf(t, x)).includes(obj.apiVersion) ? v : pathVersion;
}

/** YAMLToJSONStrict's complaint about a repeated key (js-yaml stops at the first), or undefined. */
function yamlDuplicate(text: string): string | undefined {
  try {
    loadYaml(text);
    return undefined;
  } catch (e) {
    const err = e as { reason?: string; mark?: { line: number; column: number } };
    if (err.reason !== 'duplicated mapping key' || !err.mark) return undefined;
    const rest = (text.split('\n')[err.mark.line] ?? '').slice(err.mark.column);
    const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    const key = quoted ? JSON.parse(`"${quoted[1]}"`) : rest.split(':')[0].trim();
    return `error converting YAML to JSON: yaml: unmarshal errors:\n  line ${err.mark.line + 1}: key ${JSON.stringify(key)} already set in map`;
  }
}

/** addStrictDecodingWarnings + parseYAMLWarnings: one warning per YAML complaint line. */
function warningsOf(strict: string[]): string[] {
  const out: string[] = [];
  for (const s of strict) {
    const m = /^(?:error converting YAML to JSON: )?yaml: unmarshal errors:\n([\s\S]*)$/.exec(s);
    if (m) out.push(...m[1].split('\n').map((l) => l.trim()));
    else out.push(s);
  }
  return out;
}

/** Applies the directive to strict decoding errors: throws for Strict, records warnings for Warn. */
function enforce(strict: string[], directive: FieldValidation, warnings: string[] | undefined, fail: (msg: string) => Error): void {
  if (!strict.length || directive === 'Ignore') return;
  if (directive === 'Strict') throw fail(`strict decoding error: ${strict.join(', ')}`);
  warnings?.push(...warningsOf(strict));
}

/** Parses a JSON or YAML body into nodes; YAML goes through JSON like sigs.k8s.io/yaml does. */
function parseBody(
  t: { kind: string },
  body: Buffer,
  contentType: string,
): { node: JsonNode; duplicates: Duplicate[]; yamlStrict?: string } {
  const text = body.toString('utf8');
  if (contentType.includes('yaml')) {
    let value: unknown;
    try {
      value = loadYaml(text, { json: true });
    } catch (e) {
      throw errors.badRequest(
        `the object provided is unrecognized (must be of type ${t.kind}): error converting YAML to JSON: yaml: ${(e as Error).message.split('\n')[0]} (${summarizeData(body)})`,
      );
    }
    return { node: fromValue(value ?? null), duplicates: [], yamlStrict: yamlDuplicate(text) };
  }
  try {
    return parseJson(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${t.kind}): couldn't get version/kind; json parse error: ${e.message} (${summarizeData(body)})`,
    );
  }
}

/** A create or update body: decoded, strictly checked per the directive, unknown fields dropped (CRs pruned and defaulted). */
export function decodeRequestBody(
  t: ResourceType,
  pathVersion: string,
  body: Buffer,
  contentType: string,
  directive: FieldValidation,
  warnings?: string[],
): KubeObject {
  if (contentType === PROTOBUF) return decodeProtobuf(body);
  const { node, duplicates, yamlStrict } = parseBody(t, body, contentType);
  if (node.k !== 'obj') {
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${t.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${
        { arr: 'array', str: 'string', num: 'number', bool: 'bool', null: 'null' }[node.k]
      } into Go value of type ${FIND_KIND_TYPE} (${summarizeData(body)})`,
    );
  }
  const raw = toValue(node) as KubeObject;
  const version = decodeVersion(t, pathVersion, raw);
  const kind = typeof raw.kind === 'string' && raw.kind ? raw.kind : t.kind;
  const model = kind === t.kind ? modelFor(t.group, version, t.kind) : undefined;
  const decoded: Decoded = model ? decodeObject(node, duplicates, model) : { value: raw, strict: [] };
  if (yamlStrict) decoded.strict.unshift(yamlStrict);
  const cannot = (msg: string) =>
    errors.badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${t.kind}: ${msg}`);
  if (decoded.fatal) throw cannot(decoded.fatal);
  enforce(decoded.strict, directive, warnings, cannot);
  return decoded.value as KubeObject;
}

/** A DeleteOptions body (meta/v1; the emulator has no schema for it, so nothing is strict). */
export function decodeOptionsBody(body: Buffer, contentType: string): KubeObject {
  const { node } = parseBody({ kind: 'DeleteOptions' }, body, contentType);
  const v = toValue(node);
  if (!isObject(v)) throw errors.badRequest(`the body of the request was in an unknown format`);
  return v;
}

/**
 * A patch document as the patcher reads it under Strict/Warn: duplicates (and, for JSON patches, unknown
 * operation fields) become strict errors carried into the patched object's check.
 */
export function readPatch(
  body: string,
  kind: 'json' | 'merge' | 'strategic',
  directive: FieldValidation,
): { value: unknown; strict: string[] } {
  let parsed: { node: JsonNode; duplicates: Duplicate[] };
  try {
    parsed = parseJson(body);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw errors.badRequest(kind === 'strategic' ? e.message : `error decoding patch: ${e.message}`);
  }
  const value = toValue(parsed.node);
  if (directive === 'Ignore') return { value, strict: [] };
  const strict = parsed.duplicates.map((d) => `duplicate field ${JSON.stringify(d.path)}`);
  if (kind === 'json' && parsed.node.k === 'arr') {
    parsed.node.items.forEach((op, i) => {
      if (op.k !== 'obj') return;
      for (const e of op.entries)
        if (!['op', 'path', 'from', 'value'].includes(e.key)) strict.push(`unknown field ${JSON.stringify(`[${i}].${e.key}`)}`);
    });
    return { value, strict: strict.map((s) => `json patch ${s}`) };
  }
  return { value, strict };
}

/** fmt %+v of a map[string]interface{} from encoding/json (keys sorted, `map[k:v]`, `[a b]`, `<nil>`). */
export function goMapString(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goMapString).join(' ')}]`;
  if (isObject(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goMapString(v[k])}`)
      .join(' ')}]`;
  return String(v);
}

/**
 * The object a JSON, merge or strategic merge patch produced, decoded like a request body. Strict errors
 * (the patch's own and the object's) fail with 422 "patch: Invalid value" under Strict and warn under Warn.
 */
export function decodePatched(
  t: ResourceType,
  patched: KubeObject,
  patchStrict: string[],
  shown: string,
  directive: FieldValidation,
  warnings?: string[],
): KubeObject {
  const version = decodeVersion(t, t.versions[0], patched);
  const model = modelFor(t.group, version, t.kind);
  const decoded: Decoded = model ? decodeObject(fromValue(patched), [], model) : { value: patched, strict: [] };
  const invalid = (msg: string) => errors.invalid('', '', '', [field.invalid('patch', shown, msg)]);
  if (decoded.fatal) throw invalid(decoded.fatal);
  enforce(directive === 'Ignore' ? [] : [...patchStrict, ...decoded.strict], directive, warnings, invalid);
  return decoded.value as KubeObject;
}

/** A CR produced by server-side apply: pruned nulls and defaults as its decoder would apply them on the way to storage. */
export function settleApplied(t: ResourceType, obj: KubeObject): KubeObject {
  const model = modelFor(t.group, decodeVersion(t, t.versions[0], obj), t.kind);
  return model?.crd ? (decodeObject(fromValue(obj), [], model).value as KubeObject) : obj;
}

/** The apply body's duplicate-key complaint (checked after the apply itself, patch.go:519-528). */
export function applyStrictness(body: string, directive: FieldValidation, warnings?: string[]): void {
  if (directive === 'Ignore') return;
  const dup = yamlDuplicate(body);
  if (!dup) return;
  if (directive === 'Strict') throw errors.badRequest(`error strict decoding YAML: ${dup}`);
  warnings?.push(...warningsOf([dup]));
}
