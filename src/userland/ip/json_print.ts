// lib/json_print.c and lib/json_writer.c: one printer for both text and -json output. In text mode
// the PRINT_FP part is appended; in JSON mode values go into the open object or array, in order.

type JsonValue = string | number | boolean | null | JsonObject | JsonArray | JsonRaw;

/** jsonw_printf(): text written as it is, such as a timer's "%i.%.2i". */
interface JsonRaw {
  readonly kind: "raw";
  readonly text: string;
}

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

/** json_writer.c's state machine, replayed over a finished tree so -pretty spaces come out the same. */
class JsonWriter {
  out = "";
  private depth = 0;
  private sep = "";
  private readonly pretty: boolean;

  constructor(pretty: boolean) {
    this.pretty = pretty;
  }

  private eol(): void {
    if (this.pretty) this.out += `\n${"    ".repeat(this.depth)}`;
  }

  private eor(): void {
    this.out += this.sep;
    this.sep = ",";
  }

  private begin(c: string): void {
    this.eor();
    this.out += c;
    this.depth++;
    this.sep = "";
  }

  private end(c: string): void {
    this.depth--;
    if (this.sep !== "") this.eol();
    this.out += c;
    this.sep = ",";
  }

  private name(key: string): void {
    this.eor();
    this.eol();
    this.sep = "";
    this.out += `${jsonString(key)}:${this.pretty ? " " : ""}`;
  }

  value(v: JsonValue): void {
    if (v === null || typeof v !== "object") {
      this.eor();
      this.out += typeof v === "string" ? jsonString(v) : String(v);
    } else if (v.kind === "raw") {
      this.eor();
      this.out += v.text;
    } else if (v.kind === "array") {
      this.begin("[");
      if (this.pretty) this.out += " ";
      for (const item of v.items) this.value(item);
      if (this.pretty && this.sep !== "") this.out += " ";
      this.sep = "";
      this.end("]");
    } else {
      this.begin("{");
      for (const [k, x] of v.entries) {
        this.name(k);
        this.value(x);
      }
      this.end("}");
    }
  }
}

export class JsonPrinter {
  readonly json: boolean;
  readonly pretty: boolean;
  /** _SL_: the line separator, "\\" under -oneline. */
  readonly sl: string;
  text = "";
  private stack: (JsonObject | JsonArray)[] = [];
  private root: JsonArray | undefined;

  constructor(json: boolean, sl: string, pretty = false) {
    this.json = json;
    this.pretty = pretty;
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

  /** PRINT_FP text, or in JSON `key` with `raw` written as it is (jsonw_name + jsonw_printf). */
  anyRaw(key: string, text: string, raw: string): void {
    if (this.json) this.add(key, { kind: "raw", text: raw });
    else this.text += text;
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
    const w = new JsonWriter(this.pretty);
    w.value(this.root);
    this.text += `${w.out}\n`;
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
