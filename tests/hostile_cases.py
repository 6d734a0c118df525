"""The named hostile inputs of ``tests/test_cli_hostile.py``: each a file (or none), a ``kg`` command and
the one outcome it must have. ``{input}``, ``{store}`` and ``{tmp}`` in arguments and outcomes stand
for the input file, a copy of a built store, and the test's temporary directory.

The README's table of hostile inputs is made from this list (``python -m tests.hostile_cases``) and a
test checks that it is up to date.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
from dataclasses import dataclass, field

from backports import zstd

ZEROS = gzip.compress(b"\x00" * (64 << 20), 9)
NEWLINES = b"\n" * (8 << 20)
SMALL = {"KG_MAX_INPUT_BYTES": "1000000"}
TOO_BIG = "this input holds more than 1,000,000 bytes once decompressed (the limit max_input_bytes, env KG_MAX_INPUT_BYTES)"
DEEP = "JSON nested deeper than 64 levels (the limit max_depth, env KG_MAX_DEPTH)"
NOT_XML = "not well-formed XML at column"


def _jsonl(*rows: object) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


def _s2(**fields: object) -> bytes:
    return _jsonl({"paperId": "p1", "title": "A paper", "abstract": "We use COCO.", **fields})


def _openalex(**fields: object) -> bytes:
    return json.dumps({"results": [{"id": "https://openalex.org/W1", "title": "A work", **fields}]}).encode()


@dataclass(frozen=True)
class Case:
    """One hostile input: ``content`` written to ``input{suffix}``, then ``kg *args`` run; the command must exit
    with ``exit`` and print ``outcome`` (an error line without its ``Error: ``, or the start of stdout)."""

    name: str
    content: bytes | None
    suffix: str
    args: tuple[str, ...]
    outcome: str
    exit: int = 1
    env: dict[str, str] = field(default_factory=dict)
    changes_store: bool = False
    neo4j: bool = False


def build(name: str, content: bytes, suffix: str, outcome: str, **kw: object) -> Case:
    return Case(name, content, suffix, ("build", "{input}", "--store", "{store}"), outcome, **kw)  # type: ignore[arg-type]


def check(name: str, content: bytes, suffix: str, outcome: str, **kw: object) -> Case:
    return Case(name, content, suffix, ("check", "{input}"), outcome, **kw)  # type: ignore[arg-type]


READERS = [
    build("JSON array nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000, ".json", "{input}:1: " + DEEP),
    build("JSON Lines record nested 100,000 deep", b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", ".jsonl",
          "{input}:1: " + DEEP),
    build("JSON record nested 65 deep", b'[{"id": "a", "title": "T", "abstract": "", "x": ' + b"[" * 64 + b"]" * 64
          + b"}]", ".json", "{input}:1: " + DEEP),
    build("lone surrogate in a title", _jsonl({"id": "s", "title": "Surrogate \ud800 title",
                                               "abstract": "We evaluate on COCO."}), ".jsonl",
          "1 papers written, 0 unchanged", exit=0, changes_store=True),
    build("control characters in id and url", _jsonl({"id": "ctl\x01id", "title": "Controls",
                                                      "url": "https://x.org/\x0b", "abstract": "We use BERT."}),
          ".jsonl", "1 papers written, 0 unchanged", exit=0, changes_store=True),
    build("S2: references is a number", _s2(references=5), ".jsonl",
          "{input}:1: field 'references' must be a list, not whole number"),
    build("S2: externalIds is a string", _s2(externalIds="DOI:10.1/x"), ".jsonl",
          "{input}:1: field 'externalIds' must be an object, not string"),
    build("S2: authors is a string", _s2(authors="Ada Lovelace"), ".jsonl",
          "{input}:1: field 'authors' must be a list, not string"),
    build("S2: an author is a number", _s2(authors=[7]), ".jsonl",
          "{input}:1: field 'authors[0]' must be an object, not whole number"),
    build("S2: year is text", _s2(year="2020"), ".jsonl", "{input}:1: field 'year' must be a whole number, not string"),
    build("S2: DOI is a number", _s2(externalIds={"DOI": 10}), ".jsonl",
          "{input}:1: field 'externalIds.DOI' must be a string, not whole number"),
    build("S2: a reference is a string", _s2(references=["p2"]), ".jsonl",
          "{input}:1: field 'references[0]' must be an object, not string"),
    build("OpenAlex: inverted index of a list", _openalex(abstract_inverted_index=["We", "use"]), ".json",
          "{input}:1: item 0: field 'abstract_inverted_index' must be an object, not list"),
    build("OpenAlex: word position negative", _openalex(abstract_inverted_index={"We": [-1]}), ".json",
          "{input}:1: item 0: field 'abstract_inverted_index': -1 is not a word position"),
    build("OpenAlex: referenced_works an object", _openalex(referenced_works={"a": 1}), ".json",
          "{input}:1: item 0: field 'referenced_works' must be a list, not object"),
    build("OpenAlex: author is a string", _openalex(authorships=[{"author": "Ada"}]), ".json",
          "{input}:1: item 0: field 'authorships[0].author' must be an object, not string"),
    build("gzip bomb of zeros (64 MB from 64 KB)", ZEROS, ".jsonl.gz",
          "{input}:1: binary data (NUL byte); not a text corpus"),
    build("gzip bomb of newlines over the size limit", gzip.compress(NEWLINES), ".jsonl.gz", "{input}: " + TOO_BIG,
          env=SMALL),
    build("xz bomb over the size limit", lzma.compress(NEWLINES), ".jsonl.xz", "{input}: " + TOO_BIG, env=SMALL),
    build("bzip2 bomb over the size limit", bz2.compress(NEWLINES), ".jsonl.bz2", "{input}: " + TOO_BIG, env=SMALL),
    build("Zstandard bomb over the size limit", zstd.compress(NEWLINES), ".jsonl.zst", "{input}: " + TOO_BIG,
          env=SMALL),
    build("plain file over the size limit", b" " * 2_000_000, ".jsonl",
          "{input}: this input holds more than 1,000,000 bytes (the limit max_input_bytes, env KG_MAX_INPUT_BYTES)",
          env=SMALL),
    Case("/dev/zero as input", None, "", ("build", "/dev/zero", "--format", "jsonl", "--store", "{store}"),
         "/dev/zero:1: binary data (NUL byte); not a text corpus"),
    build("BibTeX entry never closed", b"@article{a, title = {Open entry, year = 2020\n@misc{b, title = {Fine}}\n",
          ".bib", "{input}:1: entry 'a': unbalanced braces: the entry is not closed before the next one starts on line 2"),
    build("BibTeX title with an extra brace", b"@article{a, title = {Unbalanced }}braces}, year = 2020}\n", ".bib",
          "{input}:1: entry 'a': text after the end of the entry: 'braces}, year = 2020}' (unbalanced braces?)"),
    build("BibTeX stray closing brace", b"@misc{a, title = {One}}\n}\n@misc{b, title = {Two}}\n", ".bib",
          "{input}:2: a '}' outside any entry (unbalanced braces in the entry before it?)"),
    build("BibTeX entry cut at the end", b"@misc{a, title = {One}}\n@misc{b, title = {Two\n", ".bib",
          "{input}:2: entry 'b': unbalanced braces: the entry is not closed by the end of the file"),
    build("BibTeX entry without a title", b"@misc{a, year = 2020}\n", ".bib", "{input}:1: entry 'a' has no title"),
    build("CSV unterminated quote", b'title,abstract\nOne,"An abstract\nTwo,Another.\n', ".csv",
          "{input}:2: unterminated quote: the quoted cell opened in the row starting here is never closed"),
    build("CSV text after a closing quote", b'title,abstract\n"One"x,An abstract.\n', ".csv",
          "{input}:2: malformed CSV in the row starting here: ',' expected after '\"'"),
    build("CSV row with more cells than the header", b"title,abstract\nOne,Two,Three\n", ".csv",
          "{input}:2: row has more cells than the header"),
    build("CSV cell over the field limit", b"title,abstract\nOne," + b"x" * 200 + b"\n", ".csv",
          "{input}:2: a cell is longer than 100 characters (the limit max_field_chars, env KG_MAX_FIELD_CHARS)",
          env={"KG_MAX_FIELD_CHARS": "100"}),
    Case("duplicate ids named by their lines", _jsonl(*({"id": i, "title": f"T{n}", "abstract": ""}
                                                        for n, i in enumerate("abab"))), ".jsonl",
         ("check", "{input}", "--csv"), "id,duplicate at,first at\na,{input}:3,{input}:1\nb,{input}:4,{input}:2\n",
         exit=0),
    build('"id": NaN', b'{"id": NaN, "title": "T", "abstract": ""}\n', ".jsonl",
          "{input}:1: field 'id' must be a string or a whole number, not NaN"),
    build('"id": Infinity', b'{"id": Infinity, "title": "T", "abstract": ""}\n', ".jsonl",
          "{input}:1: field 'id' must be a string or a whole number, not Infinity"),
    build('"id": 1.5', b'{"id": 1.5, "title": "T", "abstract": ""}\n', ".jsonl",
          "{input}:1: field 'id' must be a string or a whole number, not number"),
    build('"id": true', b'{"id": true, "title": "T", "abstract": ""}\n', ".jsonl",
          "{input}:1: field 'id' must be a string or a whole number, not true/false"),
    build("a number of 5,000 digits", b'{"title": "T", "abstract": "", "year": ' + b"9" * 5000 + b"}\n", ".jsonl",
          "{input}:1: a number with more than 4,300 digits; not a paper field"),
    build("UTF-16 with a byte order mark", '{"title": "T", "abstract": ""}\n'.encode("utf-16"), ".jsonl",
          "{input}: UTF-16 text (it starts with a UTF-16 byte order mark); re-save the file as UTF-8"),
    build("UTF-16 without a byte order mark", '{"title": "T", "abstract": ""}\n'.encode("utf-16-be"), ".jsonl",
          "{input}: UTF-16 text (big-endian, every other byte is NUL); re-save the file as UTF-8"),
    build("UTF-32 with a byte order mark", '{"title": "T"}\n'.encode("utf-32"), ".jsonl",
          "{input}: UTF-32 text (it starts with a UTF-32 byte order mark); re-save the file as UTF-8"),
    build("Latin-1 text", 'title,abstract\nCaf\u00e9,x\n'.encode("latin-1"), ".csv",
          "{input}:2: not valid UTF-8 (byte 0xe9); re-save the file as UTF-8"),
    check("one-line JSON array of 2 MB", json.dumps([{"id": f"p{n}", "title": f"Paper {n}", "abstract": "x " * 500}
                                                    for n in range(2000)]).encode(), ".json",
          "2,000 papers in 1 files", exit=0),
    build("JSON Lines line over the line limit", _jsonl({"title": "T" * 2000, "abstract": ""}), ".jsonl",
          "{input}:1: line is longer than 1,000 characters (the limit max_line_chars, env KG_MAX_LINE_CHARS)",
          env={"KG_MAX_LINE_CHARS": "1000"}),
    build("JSON record over the record limit", json.dumps([{"title": "T" * 2000, "abstract": ""}]).encode(), ".json",
          "{input}:1: a record starting here is longer than 1,000 characters (the limit max_record_chars, "
          "env KG_MAX_RECORD_CHARS)", env={"KG_MAX_RECORD_CHARS": "1000"}),
    build("title over the field limit", _jsonl({"title": "T" * 200, "abstract": ""}), ".jsonl",
          "{input}:1: field 'title' is longer than 100 characters (the limit max_field_chars, env KG_MAX_FIELD_CHARS)",
          env={"KG_MAX_FIELD_CHARS": "100"}),
    build("limit set to nonsense", _jsonl({"title": "T", "abstract": ""}), ".jsonl",
          "KG_MAX_DEPTH must be a positive whole number, not 'deep'", env={"KG_MAX_DEPTH": "deep"}),
    build("empty file", b"", ".jsonl", "{input}: the file is empty"),
    build("only whitespace", b" \n\t\n", ".csv", "{input}: the file is empty"),
    Case("a directory as input", None, "", ("build", "{tmp}", "--format", "jsonl", "--store", "{store}"),
         "{tmp}: is a directory, not a corpus file"),
    Case("a missing file", None, "", ("build", "{tmp}/nope.jsonl", "--store", "{store}"),
         "{tmp}/nope.jsonl: no such file"),
    build("truncated gzip", gzip.compress(_jsonl({"title": "T", "abstract": ""}))[:-12], ".jsonl.gz",
          "{input}: damaged gzip file (Compressed file ended before the end-of-stream marker was reached)"),
    build("damaged xz", lzma.compress(b"x" * 100)[:12] + b"garbage" * 10, ".jsonl.xz",
          "{input}: damaged xz file (Compressed file ended before the end-of-stream marker was reached)"),
    build("a JSON document that is a number", b"42\n", ".json",
          "{input}:1: expected a JSON array or object of paper records"),
    build("text after a JSON array", b'[{"title": "T", "abstract": ""}] [', ".json",
          "{input}:1: not JSON: Extra data at column 34"),
    build("JSON Lines line that is a list", b'["title", "abstract"]\n', ".jsonl",
          "{input}:1: expected a JSON object, got list"),
    build("page paragraph over the field limit", b"A title\n\n" + b"word " * 100 + b".\n", ".txt",
          "{input}:3: a paragraph is longer than 100 characters (the limit max_field_chars, env KG_MAX_FIELD_CHARS)",
          env={"KG_MAX_FIELD_CHARS": "100"}),
]

RANDOM_STORE = bytes(range(256)) * 8

STORES = [
    Case("store file of random bytes", RANDOM_STORE, ".kg", ("stats", "--store", "{input}"),
         "{input}: not a kg store (not a kg database file)"),
    Case("store file of text", b"half a store", ".kg", ("stats", "--store", "{input}"),
         "{input}: not a kg store (not a kg database file)"),
    Case("store that is a JSON export", b'{"format": "kg-graph"}', ".json", ("stats", "--store", "{input}"),
         "{input} is a JSON file, not a kg store; if it is a graph exported by kg (node-link JSON), load it with "
         "`kg import {input} --format json --store kg-graph.kg`"),
    Case("stale temporary file after kill -9", b"half a store", "", ("stats", "--store", "{store}"),
         "nodes", exit=0),
]

def _import_json(name: str, content: bytes, outcome: str) -> Case:
    return Case(name, content, ".json", ("import", "{input}", "--format", "json", "--store", "{store}"), outcome)


IMPORTS = [
    _import_json("import of JSON nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000,
                 "{input}: not a kg graph file (JSON nested too deeply)"),
    _import_json("import of another JSON document", b"[]",
                 "{input}: not a kg graph file (no '\"format\": \"kg-graph\"' header)"),
    _import_json("import of a node without a label", json.dumps({"format": "kg-graph", "version": 1, "graph": {
        "directed": True, "nodes": [{"id": "p"}], "edges": []}}).encode(),
        "{input}: damaged graph file (node 'p' has no known label)"),
    _import_json("import of an edge of an unknown type", json.dumps({"format": "kg-graph", "version": 1, "graph": {
        "directed": True, "nodes": [{"id": "p", "label": "Paper"}], "edges": [
            {"source": "p", "target": "p", "type": "LIKES"}]}}).encode(),
        "{input}: damaged graph file (edge 'p' -> 'p' has no known type)"),
    Case("import of garbage GraphML", b"<graphml><graph><node id='a'>", ".graphml",
         ("import", "{input}", "--format", "graphml", "--store", "{store}"), "{input}:1: " + NOT_XML + " 30 "
         "(no element found)"),
    Case("import of GraphML with a control character", b'<?xml version="1.0"?><graphml><graph><node id="a&#1;"/>'
         b"</graph></graphml>", ".graphml", ("import", "{input}", "--format", "graphml", "--store", "{store}"),
         "{input}:1: " + NOT_XML + " 49 (reference to invalid character number)"),
    Case("import of GraphML that is not kg's", b'<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/'
         b'xmlns"><graph edgedefault="directed"><node id="a"/></graph></graphml>', ".graphml",
         ("import", "{input}", "--format", "graphml", "--store", "{store}"),
         "{input}: not a kg export: a node or edge without a valid kind, relationship or value (KeyError: 'kind')"),
    Case("import of random bytes as GEXF", RANDOM_STORE, ".gexf",
         ("import", "{input}", "--format", "gexf", "--store", "{store}"), "{input}:1: " + NOT_XML + " 1 "
         "(not well-formed (invalid token))"),
    Case("import of random bytes as a store", RANDOM_STORE, ".json",
         ("import", "{input}", "--format", "json", "--store", "{store}"), "{input}: not a kg graph file (bad JSON at line 1)"),
]

PATHS = [
    Case("export csv onto an existing file", b"keep me", ".csv", ("export", "--format", "csv", "--out", "{input}",
                                                                  "--store", "{store}"),
         "cannot write the CSV export to {input}: it is a file, and a csv export is a directory"),
    Case("export into a missing directory", None, "", ("export", "--format", "graphml", "--out",
                                                      "{tmp}/missing/g.graphml", "--store", "{store}"),
         "cannot write {tmp}/missing/g.graphml: {tmp}/missing does not exist (kg makes no directories)"),
    Case("render into a missing directory", None, "", ("render", "--out", "{tmp}/missing/g.html", "--store", "{store}"),
         "cannot write {tmp}/missing/g.html: {tmp}/missing does not exist (kg makes no directories)"),
    Case("build into a missing directory", _jsonl({"title": "T", "abstract": "We use COCO."}), ".jsonl",
         ("build", "{input}", "--store", "{tmp}/missing/g.kg"),
         "cannot write {tmp}/missing/g.kg: the folder {tmp}/missing does not exist"),
    Case("export GraphML of an id with a control character", None, "", ("export", "--format", "graphml", "--out",
                                                                         "{tmp}/g.graphml", "--store", "{input}"),
         "cannot export node 'bad?id' as GraphML: its id holds U+0001, which XML cannot carry; export json or csv "
         "instead"),
    Case("export GEXF of a url with a control character", None, "", ("export", "--format", "gexf", "--out",
                                                                      "{tmp}/g.gexf", "--store", "{input}"),
         "cannot export node 'bad?id' as GEXF: its id holds U+0001, which XML cannot carry; export json or csv "
         "instead"),
]

PARAMS = [
    Case("--param with a 5,000-digit number", None, "", ("query", "RETURN $n AS n", "--param", "n=" + "9" * 5000,
                                                         "--store", "{store}"),
         "Invalid value for '--param': n: a whole number of more than 4,300 digits", exit=2),
    Case("--param nested 100,000 deep", None, "", ("query", "RETURN $n AS n", "--param", "n=" + "[" * 100_000 +
                                                   "]" * 100_000, "--store", "{store}"),
         "Invalid value for '--param': n: nested deeper than 32 levels", exit=2),
    Case("--param nested 40 deep", None, "", ("query", "RETURN $n AS n", "--param", "n=" + "[" * 40 + "]" * 40,
                                              "--store", "{store}"),
         "Invalid value for '--param': n: nested deeper than 32 levels", exit=2),
    Case("--param of 2**63", None, "", ("query", "RETURN $n AS n", "--param", f"n={2**63}", "--store", "{store}"),
         "Invalid value for '--param': n: 9223372036854775808 is outside the 64-bit whole numbers Cypher takes",
         exit=2),
    Case("--param without =", None, "", ("query", "RETURN 1", "--param", "nothing", "--store", "{store}"),
         "Invalid value for '--param': 'nothing' is not NAME=VALUE", exit=2),
]

NEO4J = [
    Case("LOAD CSV of /etc/passwd without --write", None, "", ("query",
         "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row"),
         "LOAD CSV (it reads files and URLs from the server) runs only with --write; without it kg runs queries "
         "read-only", neo4j=True),
    Case("TERMINATE TRANSACTIONS without --write", None, "", ("query", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'"),
         "the admin command TERMINATE transactions (it acts on the server, not on the graph) runs only with --write; "
         "without it kg runs queries read-only", neo4j=True),
    Case("SHOW TRANSACTIONS without --write", None, "", ("query", "SHOW TRANSACTIONS"),
         "the admin command SHOW transactions (it acts on the server, not on the graph) runs only with --write; "
         "without it kg runs queries read-only", neo4j=True),
    Case("CALL dbms.* without --write", None, "", ("query", "CALL dbms.components()"),
         "the procedure call CALL dbms.components (procedures act outside the graph) runs only with --write; "
         "without it kg runs queries read-only", neo4j=True),
    Case("USE another database without --write", None, "", ("query", "USE system SHOW USERS"),
         "USE (it switches to another database) runs only with --write; without it kg runs queries read-only",
         neo4j=True),
    Case("password inside the URI", None, "", ("stats", "--neo4j-uri", "bolt://neo4j:secretpw@127.0.0.1:1"),
         "the Neo4j URI 'bolt://127.0.0.1:1' holds a user or password; give them in NEO4J_USERNAME and "
         "NEO4J_PASSWORD instead, never on the command line", neo4j=True),
    Case("an http:// URI", None, "", ("stats", "--neo4j-uri", "http://127.0.0.1:7474"),
         "not a Neo4j Bolt URI: 'http://127.0.0.1:7474'; use one of bolt://, bolt+s://, bolt+ssc://, neo4j://, "
         "neo4j+s://, neo4j+ssc:// (kg speaks Bolt, not HTTP)", neo4j=True),
    Case("--neo4j-database system", None, "", ("query", "SHOW DATABASES YIELD name RETURN name ORDER BY name",
                                               "--write", "--neo4j-database", "system", "--json"),
         '[\n  {\n    "name": "neo4j"\n  },', exit=0, neo4j=True),
    Case("--store FILE with NEO4J_URI set", None, "", ("stats", "--store", "{store}"), "nodes", exit=0, neo4j=True),
]

CASES = [*READERS, *STORES, *IMPORTS, *PATHS, *PARAMS, *NEO4J]


def readme_table() -> str:
    """The README's table: case, outcome, and whether the store was left byte for byte as it was."""
    rows = ["| case | outcome | store unchanged |", "|---|---|---|"]
    for case in CASES:
        shown = case.outcome.replace("{input}", "FILE").replace("{tmp}", "DIR").replace("{store}", "STORE")
        outcome = f"exit {case.exit}: `{shown}`" if case.exit else f"exit 0, prints `{shown.splitlines()[0]}`…"
        rows.append(f"| {case.name} | {outcome.replace('|', '&#124;')} | {'no (paper added)' if case.changes_store else 'yes'} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(readme_table(), end="")
