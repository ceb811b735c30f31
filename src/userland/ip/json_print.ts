// lib/json_print.c and lib/json_writer.c: one printer for both text and -json output. In text mode
// the PRINT_FP part is appended; in JSON mode values go into the open object or array, in order.

type JsonValue = string | number | boolean | null | JsonObject | JsonArray;

interface JsonObject {
  readonly kind: "object";
  readonly entries: [string, JsonValue][];
}

interface JsonArray {
  readonly kind: "array";
  readonly items: JsonValue[];
}

/** jsonw_puts(): the escapes json_writer.c applies, and no others. */
function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case "\t":
        out += "\\t";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\f":
        out += "\\f";
        break;
      case "\b":
        out += "\\b";
        break;
      case "\\":
        out += "\\\\";
        break;
      case '"':
        out += '\\"';
        break;
      default:
        out += ch;
    }
  }
  return `${out}"`;
}

function serialize(v: JsonValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return jsonString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v.kind === "array") return `[${v.items.map(serialize).join(",")}]`;
  return `{${v.entries.map(([k, x]) => `${jsonString(k)}:${serialize(x)}`).join(",")}}`;
}

export class JsonPrinter {
  readonly json: boolean;
  /** _SL_: the line separator, "\\" under -oneline. */
  readonly sl: string;
  text = "";
  private stack: (JsonObject | JsonArray)[] = [];
  private root: JsonArray | undefined;

  constructor(json: boolean, sl: string) {
    this.json = json;
    this.sl = sl;
  }

  private add(key: string | undefined, value: JsonValue): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    if (top.kind === "array") top.items.push(value);
    else top.entries.push([key ?? "", value]);
  }

  /** PRINT_FP */
  fp(text: string): void {
    if (!this.json) this.text += text;
  }

  /** PRINT_JSON */
  js(key: string | undefined, value: string | number | boolean | null): void {
    if (this.json) this.add(key, value);
  }

  /** PRINT_ANY: `text` is the already formatted text form of `value`. */
  any(key: string | undefined, text: string, value: string | number | boolean | null): void {
    if (this.json) this.add(key, value);
    else this.text += text;
  }

  /** print_nl() */
  nl(): void {
    if (!this.json) this.text += this.sl;
  }

  /** new_json_obj(): the outer array of a listing. */
  newJsonObj(): void {
    if (!this.json) return;
    this.root = { kind: "array", items: [] };
    this.stack = [this.root];
  }

  /** delete_json_obj() */
  deleteJsonObj(): void {
    if (!this.json || !this.root) return;
    this.text += `${serialize(this.root)}\n`;
    this.root = undefined;
    this.stack = [];
  }

  openObject(key?: string): void {
    if (!this.json) return;
    const obj: JsonObject = { kind: "object", entries: [] };
    this.add(key, obj);
    this.stack.push(obj);
  }

  closeObject(): void {
    if (this.json) this.stack.pop();
  }

  openArray(key?: string): void {
    if (!this.json) return;
    const arr: JsonArray = { kind: "array", items: [] };
    this.add(key, arr);
    this.stack.push(arr);
  }

  closeArray(): void {
    if (this.json) this.stack.pop();
  }
}
