r"""Cypher on the embedded NetworkX store, with Neo4j's rows or a clear refusal.

:func:`run_cypher` answers a read-only subset of Cypher on the graph of
:class:`kg.graphs.nxstore.NetworkXStore` with the rows Neo4j gives for the same
graph: columns named as Neo4j names them, a node as ``{**properties, "id": id}``,
a relationship as ``{**properties, "type": TYPE}``. Anything outside the subset
raises :class:`kg.errors.QueryError` naming the construct; nothing is silently
answered differently.

==========  ==================================================================
supported   ``MATCH`` (several clauses, comma-separated patterns), ``WHERE``,
            ``RETURN [DISTINCT] ... [AS name]``, ``ORDER BY ... [ASC|DESC]``,
            ``SKIP``, ``LIMIT``; labels ``(n:A|B)``, types ``[:T|U]``, property
            maps ``{k: v}``, ``-[*n]->`` and ``-[*m..n]->`` up to 5 hops;
            ``= <> < > <= >=``, ``AND OR XOR NOT``, ``IN [...]``, ``STARTS WITH``,
            ``ENDS WITH``, ``CONTAINS``, ``IS [NOT] NULL`` (with null logic);
            ``toLower toUpper trim size coalesce type labels``; ``count collect
            sum avg min max`` with implicit grouping
translated  ``'single-quoted'`` -> ``"double-quoted"``; ``$name`` -> a literal
            (string, number, boolean, null or a flat list of those)
refused     ``OPTIONAL MATCH``, ``WITH``, ``UNWIND``, ``CALL``, ``UNION``, writes
            (``CREATE MERGE SET DELETE DETACH REMOVE LOAD CSV FOREACH``),
            ``count(*)``, ``count(DISTINCT ...)``, open ``*`` / ``*2..``, ``*0..``,
            ``shortestPath``, undirected ``--`` / ``-[r]-``, arithmetic, ``id()``
            (use ``n.id``), ``=~``, ``CASE``, ``EXISTS``, pattern predicates,
            named paths, map literals, ``RETURN *``, other functions
==========  ==================================================================

grand-cypher 1.2.0 only finds pattern matches here: each MATCH clause goes to it
as one-hop ``MATCH`` lines that return node ids. WHERE, RETURN, aggregation,
DISTINCT, ORDER BY, SKIP and LIMIT run in :mod:`kg.graphs.cypher_eval`, because grand-cypher's
own answers differ from Neo4j's: a missing property passes ``<>`` and ``NOT``,
LIMIT applies before aggregating, DISTINCT fails with an alias, a variable loses
its label when it appears again without it, a comparison of two properties
prunes candidates against the second one's *name*, and two variables of one
pattern never bind the same node (Neo4j binds them when no relationship would
repeat). So variable-length steps are expanded into fixed hops, each way of
merging pattern nodes runs as a pattern of its own, and separate MATCH clauses
are joined in :mod:`kg.graphs.cypher_match`.

The query is read by :mod:`kg.graphs.cypher_lex` (tokens, literals, parameters, refused
clauses) and :mod:`kg.graphs.cypher_parse` into a :mod:`kg.graphs.cypher_ast` plan; values
compare as in :mod:`kg.graphs.cypher_values`.

Examples
--------
>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("paper:1", label="Paper", title="YOLOE")
>>> g.add_node("dataset:coco", label="Dataset", name="COCO")
>>> g.add_edge("paper:1", "dataset:coco", type="EVALUATES_ON", count=2)
>>> run_cypher(g, "MATCH (p:Paper)-[r]->(d:Dataset {name: $name}) RETURN p.title, type(r) AS role", {"name": "COCO"})
[{'p.title': 'YOLOE', 'role': 'EVALUATES_ON'}]
>>> print(translate("MATCH (d {name: 'COCO'}) WHERE d.name <> $n RETURN d", {"n": 'say "hi"'}))
MATCH (d {name: "COCO"}) WHERE d.name <> "say \"hi\"" RETURN d
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from kg.graphs.cypher_eval import answer
from kg.graphs.cypher_lex import lex, literal
from kg.graphs.cypher_match import match_clauses
from kg.graphs.cypher_match import query_view as _view  # the tests read the view cache through this name
from kg.graphs.cypher_parse import parse

__all__ = ["run_cypher", "translate"]


def run_cypher(graph: nx.DiGraph, query: str, params: Mapping[str, object] | None = None) -> list[dict[str, object]]:
    """Answer ``query`` on ``graph`` (a :meth:`NetworkXStore.networkx` graph) as Neo4j would.

    Parameters
    ----------
    graph:
        Nodes with a ``label`` attribute, edges with a ``type`` attribute, as the store keeps them.
    query:
        Cypher in the subset of the module docstring; ``$name`` refers to ``params``.
    params:
        Query parameters: strings, numbers, booleans, ``None`` and lists of those.

    Returns one dict per row, from column name to plain data; in ORDER BY order
    when the query has one, else in no particular order.

    Raises
    ------
    QueryError
        The query uses a construct outside the subset (named in the message), does not
        parse, names a missing parameter or applies a function to the wrong type.
    """
    plan = parse(query, params or {})
    return answer(plan, match_clauses(_view(graph), plan.clauses))


def translate(query: str, params: Mapping[str, object] | None = None) -> str:
    """``query`` with its strings double-quoted and its ``$parameters`` written in as literals.

    Text inside string literals is never touched. Raises ``QueryError`` for a missing
    parameter or one of another type than string, number, boolean, null or a list of those.
    """
    out, pos = [], 0
    for tok in lex(query, params or {}):
        if tok.kind == "lit" and query[tok.start] in "'\"$":
            out += [query[pos : tok.start], literal(tok.value)]
            pos = tok.end
    return "".join(out) + query[pos:]
