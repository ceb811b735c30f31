// Quoting argv back into a command line that bash parses into the same words.

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

// Words bash treats specially in command position even when plain (reserved words, and
// `name=value`, which would parse as an assignment instead of a command name).
const RESERVED = new Set([
  "!",
  "[[",
  "]]",
  "{",
  "}",
  "case",
  "coproc",
  "do",
  "done",
  "elif",
  "else",
  "esac",
  "fi",
  "for",
  "function",
  "if",
  "in",
  "select",
  "then",
  "time",
  "until",
  "while",
]);

/** One argument as a single bash word: unchanged when plain, otherwise in single quotes. */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** argv as a simple command: argv[0] is always a command name, never a keyword or assignment. */
export function shellJoin(argv: readonly string[]): string {
  return argv
    .map((word, i) => {
      if (i === 0 && (RESERVED.has(word) || word.includes("="))) return `'${word.replaceAll("'", `'\\''`)}'`;
      return shellQuote(word);
    })
    .join(" ");
}
