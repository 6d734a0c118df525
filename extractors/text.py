"""The text of a ``Doc``, computed once: ``Doc.text`` rebuilds the string from every token on each call."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["TEXT_KEY", "doc_text"]

TEXT_KEY = "kg_text"
"""Where :func:`doc_text` keeps the text in ``doc.user_data``; a caller that has the string may put it there."""


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached in ``doc.user_data`` for the components that follow."""
    text = doc.user_data.get(TEXT_KEY)
    if not isinstance(text, str):
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text
