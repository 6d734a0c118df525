"""What guards the Neo4j store's boundary: the URI it connects to, the secrets it never shows, the
user Cypher it refuses to run read-only, and the driver's errors as kg's one-line errors.

* A URI must use a Bolt scheme (``bolt``, ``neo4j``, with ``+s`` / ``+ssc``) and hold no user or
  password: credentials come from ``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` only, and a URI is shown
  with any user information cut out (:func:`redact_uri`).
* User Cypher without ``--write`` runs in a read transaction, which the server enforces for writes.
  The server counts some things as reads that act outside the graph: ``LOAD CSV`` (reads the
  server's files and URLs), procedure calls (``CALL dbms.*``, ``CALL db.*``), admin commands
  (``SHOW`` / ``TERMINATE TRANSACTIONS``, ``SHOW USERS`` ...) and ``USE`` (another database).
  :func:`refused_clause` finds them so the store refuses them unless ``--write`` is given.

>>> refused_clause('MATCH (p:Paper) WHERE p.title = "LOAD CSV" RETURN p.title AS call')
>>> refused_clause("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row")
'LOAD CSV (it reads files and URLs from the server)'
>>> refused_clause("// a comment\\nTERMINATE TRANSACTIONS 'neo4j-transaction-1'")
'the admin command TERMINATE transactions (it acts on the server, not on the graph)'
>>> redact_uri("bolt://neo4j:secretpw@db.example.org:7687")
'bolt://db.example.org:7687'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, ClientError, CypherSyntaxError, Neo4jError, ServiceUnavailable

from kg.errors import QueryError, StoreError

__all__ = ["SCHEMES", "check_uri", "driver_errors", "plain", "redact_uri", "refused_clause"]

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
"""The URI schemes of Bolt, the protocol the store speaks."""

_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


def redact_uri(uri: str) -> str:
    """``uri`` without any ``user:password@`` part, safe to print."""
    return _USERINFO.sub(r"\1", uri)


def check_uri(uri: str) -> None:
    """Raise ``StoreError`` (showing the URI without secrets) unless ``uri`` is a Bolt URI without user information."""
    scheme = uri.partition("://")[0].lower() if "://" in uri else ""
    if scheme not in SCHEMES:
        raise StoreError(f"not a Neo4j Bolt URI: {redact_uri(uri)!r}; use one of "
                         f"{', '.join(s + '://' for s in SCHEMES)} (kg speaks Bolt, not HTTP)")
    if _USERINFO.match(uri):
        raise StoreError(f"the Neo4j URI {redact_uri(uri)!r} holds a user or password; give them in NEO4J_USERNAME "
                         "and NEO4J_PASSWORD instead, never on the command line")


# -- user Cypher -----------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<name>`(?:[^`]|``)*(?:`|\Z))
  | (?P<word>[A-Za-z_][A-Za-z_0-9$]*)
  | (?P<other>.)
""", re.S | re.X)
_ADMIN = {"SHOW", "TERMINATE", "GRANT", "DENY", "REVOKE", "ALTER", "START", "STOP", "ENABLE", "DEALLOCATE",
          "REALLOCATE", "RENAME", "DRYRUN"}
_ADMIN_OBJECTS = {"USER", "ROLE", "DATABASE", "COMPOSITE", "ALIAS", "SERVER", "OR"}
_PREFIXES = {"EXPLAIN", "PROFILE"}


def _tokens(query: str) -> list[str]:
    """Significant tokens: words upper-cased, a quoted name as ``NAME``, a string as ``STRING``."""
    found = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        found.append(match.group().upper() if kind == "word" else "NAME" if kind == "name"
                     else "STRING" if kind == "string" else match.group())
    return found


def _heads(tokens: list[str]) -> list[int]:
    """Where each statement's first clause is, past ``EXPLAIN`` / ``PROFILE`` and ``CYPHER`` options."""
    heads, index, at_start = [], 0, True
    while index < len(tokens):
        if at_start:
            while index < len(tokens) and tokens[index] in _PREFIXES:
                index += 1
            if index < len(tokens) and tokens[index] == "CYPHER":
                index += 1
                while index + 2 < len(tokens) and tokens[index + 1] == "=":
                    index += 3
            if index < len(tokens):
                heads.append(index)
            at_start = False
        at_start = index < len(tokens) and tokens[index] == ";"
        index += 1
    return heads


def refused_clause(query: str) -> str | None:
    """What in ``query`` may not run without ``--write`` (a short description), or ``None``."""
    tokens = _tokens(query)
    for head in _heads(tokens):
        after = tokens[head + 1] if head + 1 < len(tokens) else ""
        if tokens[head] in _ADMIN or (tokens[head] in ("CREATE", "DROP") and after in _ADMIN_OBJECTS):
            return f"the admin command {tokens[head]} {after.lower()} (it acts on the server, not on the graph)"
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else ""
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        if before in ("AS", ".", ",", ":", "$") or not (after.isidentifier() or after == "NAME"):
            continue  # a variable or property named so, or not followed by a name
        if token == "LOAD" and after == "CSV":
            return "LOAD CSV (it reads files and URLs from the server)"
        if token == "CALL":
            parts, at = [after], index + 2
            while at + 1 < len(tokens) and tokens[at] == ".":
                parts, at = [*parts, tokens[at + 1]], at + 2
            shown = ".".join("`...`" if part == "NAME" else part.lower() for part in parts)
            return f"the procedure call CALL {shown} (procedures act outside the graph)"
        if token == "USE":
            return "USE (it switches to another database)"
    return None


# -- driver errors and values -------------------------------------------------------------


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else message


@contextmanager
def driver_errors(where: str, user: str, database: str | None) -> Iterator[None]:
    """Turn the driver's errors into ``StoreError`` / ``QueryError`` naming ``where`` (a URI without secrets)."""
    try:
        yield
    except AuthError:
        raise StoreError(f"Neo4j at {where} refused the credentials of user {user!r}") from None
    except ServiceUnavailable as exc:
        reason = re.search(r"reason (.*?)\)*$", str(exc).strip())
        detail = reason.group(1) if reason else _first_line(str(exc))
        raise StoreError(f"cannot reach Neo4j at {where} ({redact_uri(detail)}); is the server running?") from None
    except CypherSyntaxError as exc:
        raise QueryError(_first_line(exc.message or str(exc))) from None
    except ClientError as exc:
        if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise StoreError(f"Neo4j at {where.split(' (database')[0]} has no database {database!r}") from None
        if exc.code == "Neo.ClientError.Statement.AccessMode":
            raise QueryError("this query writes to the graph; pass --write to run it") from None
        raise QueryError(_first_line(exc.message or str(exc))) from None
    except Neo4jError as exc:
        raise StoreError(f"Neo4j at {where}: {_first_line(exc.message or str(exc))}") from None
    except (TypeError, ValueError, OverflowError) as exc:  # a parameter the driver cannot send
        raise QueryError(f"cannot send this query's parameters to Neo4j: {_first_line(str(exc))}") from None


def plain(value: Any) -> Any:
    """A driver value as plain data: a node as its properties, a relationship as its properties and
    type (the store's own properties, starting with ``_``, left out)."""
    if isinstance(value, neo4j.graph.Node):
        return {key: plain(item) for key, item in value.items() if not key.startswith("_")}
    if isinstance(value, neo4j.graph.Relationship):
        return {**{key: plain(item) for key, item in value.items() if not key.startswith("_")}, "type": value.type}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value
