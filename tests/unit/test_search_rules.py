"""How a search is read (dashboard/rules/search.py): its words, refs, LIKE patterns, limits."""

import pytest

from dashboard.rules import search as rules


def test_words_are_split_lower_cased_and_kept_once_in_the_order_typed() -> None:
    assert rules.parse("  Equality  IMPACT, “equality” ").words == ("equality", "impact")
    assert rules.parse("").words == ()


@pytest.mark.parametrize("word", ["4.2", "4", "4.2.1", "4.2a", "a3", "hr-2"])
def test_a_ref_is_recognised(word: str) -> None:
    assert rules.is_ref(word)


@pytest.mark.parametrize("word", ["equality", "4.2.", "housing4", ""])
def test_a_word_is_not_a_ref(word: str) -> None:
    assert not rules.is_ref(word)


def test_wildcards_and_the_escape_character_stand_for_themselves() -> None:
    assert rules.like_pattern("100%") == "%100\\%%"
    assert rules.like_pattern("a_b") == "%a\\_b%"
    assert rules.like_pattern("a\\b") == "%a\\\\b%"


def test_the_longest_search_is_allowed_and_one_more_character_is_refused() -> None:
    assert rules.parse("x" * rules.MAX_QUERY_LENGTH).words == ("x" * rules.MAX_QUERY_LENGTH,)
    with pytest.raises(rules.SearchRefused, match="at most 200 characters"):
        rules.parse("x" * (rules.MAX_QUERY_LENGTH + 1))
    with pytest.raises(rules.SearchRefused, match="control character"):
        rules.parse("housing\x00")
