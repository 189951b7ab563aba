"""Sphinx configuration for the k2nutrition documentation."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from k2nutrition import __version__

project = "k2nutrition"
author = "The k2nutrition developers"
copyright = "2026, The k2nutrition developers"
release = __version__
version = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
    "k2data",
]

source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

# Notebooks run at every build, so that an example that stops working fails the build.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 300
# Markdown pages hold doctest-style examples, which pytest runs; they are not notebooks.
nb_custom_formats: dict[str, str] = {}

autodoc_member_order = "bysource"
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

html_theme = "pydata_sphinx_theme"
html_title = f"k2nutrition {release}"
html_theme_options = {
    "navigation_with_keys": False,
    # the guides, the data reference and the API in the top bar, not under "More"
    "header_links_before_dropdown": 7,
}
html_static_path = ["_static"]
html_css_files = ["k2nutrition.css"]


def _module_sections_as_rubrics(
    app: object, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """Render numpydoc section headings in module docstrings as rubrics.

    numpydoc formats the sections of functions and classes; a module docstring's
    "Examples" heading would otherwise become a document section, and every module page
    would define the same "examples" label.
    """
    if what != "module":
        return
    i = 0
    while i < len(lines) - 1:
        title, underline = lines[i].strip(), lines[i + 1].strip()
        if title and underline and set(underline) == {"-"} and len(underline) >= len(title):
            lines[i : i + 2] = [f".. rubric:: {title}", ""]
        i += 1


def setup(app: object) -> None:
    """Connect the docstring hook."""
    app.connect("autodoc-process-docstring", _module_sections_as_rubrics)  # type: ignore[attr-defined]
