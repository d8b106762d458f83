"""HTML bodies -> paragraphs: what reaches the clean text, on hand-made markup and against the tree-editing
reference on generated markup (well-formed or not)."""

from __future__ import annotations

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from dataset.pipeline.formats import _BLOCKS, _NOT_TEXT, _SOURCE_LINK_TEXTS, html_paragraphs, join_paragraphs


def reference_paragraphs(html: str) -> list[str]:
    """The tree-editing version `html_paragraphs` replaced (bs4's documented API, one pass per kind of
    element): the text of the edited tree, split into paragraphs."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(list(_NOT_TEXT)):
        tag.decompose()
    for link in soup.find_all("a"):
        if link.get_text(" ", strip=True).lower() in _SOURCE_LINK_TEXTS:
            link.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n\n")
    for block in soup.find_all(list(_BLOCKS)):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    from dataset.pipeline.formats import split_paragraphs

    return split_paragraphs(soup.get_text())


def clean(html: str) -> str:
    return join_paragraphs(html_paragraphs(html))


def test_blocks_and_line_breaks_make_paragraphs() -> None:
    assert clean("<p>One<br>two</p><div>three <b>four</b></div>five") == "One\n\ntwo\n\nthree four\n\nfive"
    assert clean("<ul><li>a</li><li>b</li></ul>") == "a\n\nb"


def test_source_links_scripts_comments_and_annotations_are_not_text() -> None:
    html = ("<p>Said <a href='x'>the police</a>.<!-- note --></p><p><a href='y'>Source<script>s()</script></a></p>"
            "<p><ruby>Ennetcom<rt>annotation</rt></ruby> <a href='z'> Lees meer </a></p><svg><text>x</text></svg>")
    assert clean(html) == "Said the police.\n\nEnnetcom"


def test_a_link_that_only_contains_a_source_link_keeps_its_other_words() -> None:
    assert clean("<p><a href='x'>Read on <a href='y'>source</a></a></p>") == "Read on"


def test_deep_markup_is_not_a_recursion_error() -> None:
    assert clean("<div>" * 5000 + "deep" + "</div>" * 5000) == "deep"


def test_the_seed_body_is_cleaned_as_the_reference_does() -> None:
    raw = (REPO / "data/raw/000_cb672303a775cf7f.txt").read_text(encoding="utf-8")
    body = raw.split("\n---\n", 1)[1]
    assert html_paragraphs(body) == reference_paragraphs(body)
    assert "Ennetcom" in clean(body)


TAGS = ["p", "div", "br", "a", "span", "b", "li", "ul", "h2", "script", "style", "noscript", "svg", "template",
        "rt", "ruby", "pre", "table", "tr", "td", "head", "img"]
TEXTS = ["Source", "bron", "Read more", "19,000 users", " ", "\n", "  \n\n ", "&amp;", "&#8217;", "&nbsp;", "x<y",
         "<!-- c -->", "<![CDATA[cd]]>", "</p>", "</a>", "<br/>", "<p>", "<a href='s'>", "é"]


def markup() -> st.SearchStrategy[str]:
    text = st.sampled_from(TEXTS) | st.text(alphabet="ab <>&;/\n", max_size=6)

    def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(lambda tag, inner, closed: f"<{tag}>{''.join(inner)}" + (f"</{tag}>" if closed else ""),
                         st.sampled_from(TAGS), st.lists(children, max_size=4), st.booleans())

    return st.recursive(text, element, max_leaves=25).map(str)


@settings(max_examples=400, deadline=None)
@given(st.lists(markup(), max_size=5).map("".join))
def test_the_walk_gives_what_editing_the_tree_gave(html: str) -> None:
    assert html_paragraphs(html) == reference_paragraphs(html)
