"""Cypher text as tokens, for translating Neo4j's dialect into the embedded engine's.

Nothing here evaluates Cypher: the engine does. The translation only needs to
see the query's words, literals and brackets, so this module splits the text into
tokens that keep their spelling and the space before them; joining them gives
the text back.

Examples
--------
>>> [t.text for t in tokenize("MATCH (p:Paper)-->(d) WHERE d.name =~ 'CO.*' RETURN p")]
['MATCH', '(', 'p', ':', 'Paper', ')', '-', '->', '(', 'd', ')', 'WHERE', 'd', '.', 'name', '=~', "'CO.*'", 'RETURN', 'p']
>>> text(tokenize("RETURN  1 // one\\n, 'a'"))
"RETURN  1 // one\\n, 'a'"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kg.errors import QueryError

__all__ = ["Kind", "Token", "closing", "decode_string", "text", "tokenize"]

Kind = Literal["word", "quoted", "string", "number", "param", "op"]

_SPACE = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)
_TOKEN = re.compile(
    r"""(?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      |(?P<quoted>`(?:[^`]|``)*`)
      |(?P<param>\$(?:[^\W\d]\w*|`(?:[^`]|``)*`|\d+))
      |(?P<number>(?:\d+\.\d+|\.\d+|\d+)(?:[eE][+-]?\d+)?|0x[0-9a-fA-F]+)
      |(?P<word>[^\W\d]\w*)
      |(?P<op><>|<=|>=|=~|->|<-|\.\.|\+=|[-+*/%^=<>(){}\[\],.:|;!&])""",
    re.X | re.S,
)
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "'": "'", '"': '"', "\\": "\\"}


@dataclass
class Token:
    """One token: its kind, its text as written, and the space (and comments) before it."""

    kind: Kind
    text: str
    space: str = ""

    @property
    def upper(self) -> str:
        """A word in capitals (keywords compare this way); other tokens as they are."""
        return self.text.upper() if self.kind == "word" else self.text

    @property
    def name(self) -> str:
        """A word or a backtick-quoted name as the name it stands for."""
        return self.text[1:-1].replace("``", "`") if self.kind == "quoted" else self.text

    def is_name(self) -> bool:
        """Is it a name (a word or a quoted name)?"""
        return self.kind in ("word", "quoted")


def tokenize(query: str) -> list[Token]:
    """The tokens of ``query``; raises ``QueryError`` at a character no token starts with."""
    tokens: list[Token] = []
    at = 0
    while True:
        space = _SPACE.match(query, at)
        at = space.end() if space else at
        if at >= len(query):
            break
        found = _TOKEN.match(query, at)
        if found is None or found.lastgroup is None:
            raise QueryError(f"cannot read the query at character {at + 1}: {query[at:at + 20]!r}")
        tokens.append(Token(found.lastgroup, found.group(), query[space.start():at] if space else ""))  # type: ignore[arg-type]
        at = found.end()
    _check_brackets(tokens)
    return tokens


def text(tokens: list[Token]) -> str:
    """The query text of ``tokens``, as written (with the space before each)."""
    return "".join(token.space + token.text for token in tokens).strip()


def closing(tokens: list[Token], start: int) -> int:
    """The index of the bracket that closes the one at ``start``."""
    depth = 0
    for index in range(start, len(tokens)):
        if tokens[index].kind != "op":
            continue
        if tokens[index].text in _PAIRS:
            depth += 1
        elif tokens[index].text in _PAIRS.values():
            depth -= 1
            if depth == 0:
                return index
    raise QueryError("unbalanced brackets in the query")


def decode_string(literal: str) -> str:
    r"""The value of a Cypher string literal, escapes resolved as Neo4j reads them.

    >>> decode_string(r"'it\'s \u00e9\n'")
    "it's é\n"
    """
    body = literal[1:-1]
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char != "\\" or index + 1 == len(body):
            out.append(char)
            index += 1
            continue
        code = body[index + 1]
        if code in ("u", "U"):
            size = 4 if code == "u" else 8
            digits = body[index + 2 : index + 2 + size]
            if len(digits) != size or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                raise QueryError(f"bad escape \\{code}{digits} in the string {literal[:40]}")
            out.append(chr(int(digits, 16)))
            index += 2 + size
        elif code in _ESCAPES:
            out.append(_ESCAPES[code])
            index += 2
        else:
            raise QueryError(f"bad escape \\{code} in the string {literal[:40]}")
    return "".join(out)


def _check_brackets(tokens: list[Token]) -> None:
    stack: list[str] = []
    for token in tokens:
        if token.kind != "op":
            continue
        if token.text in _PAIRS:
            stack.append(_PAIRS[token.text])
        elif token.text in _PAIRS.values():
            if not stack or stack.pop() != token.text:
                raise QueryError(f"unbalanced brackets in the query at {token.text!r}")
    if stack:
        raise QueryError(f"unbalanced brackets in the query: {stack[-1]!r} is missing")
