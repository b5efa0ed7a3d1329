"""How the report presents: its Jinja2 templates and its embedded figures.

The templates (package data in ``reporting/templates/``) HTML-escape every value they
are given. Each figure is saved as PNG and SVG in the results' ``figures/`` and embedded
as the SVG (vector: crisp on a projector and when zoomed) in a data URI, so the report
needs no network and no file beside it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from pathway_sim.reporting import plots
from pathway_sim.runs import layout


@lru_cache(maxsize=1)
def _loader() -> jinja2.PackageLoader:
    return jinja2.PackageLoader("pathway_sim.reporting", "templates")


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The report's templates (package data), HTML-escaping every value they are given."""
    return jinja2.Environment(
        loader=_loader(),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render(name: str, **values: object) -> str:
    return templates().get_template(name).render(**values)


def stylesheet() -> str:
    """The report's stylesheet (``templates/report.css``)."""
    source, _, _ = _loader().get_source(templates(), "report.css")
    return source


@dataclass(frozen=True)
class EmbeddedFigure:
    """A figure as the template shows it: its SVG as a data URI and its saved files."""

    uri: str
    alt: str
    files: str
    kind: str = ""


class FigureWriter:
    """Saves each figure as PNG and SVG in the figures directory and returns it with the
    SVG as a data URI to embed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.written: list[Path] = []

    def embed(self, fig: plots.Figure, stem: str, alt: str, kind: str = "") -> EmbeddedFigure:
        plots.save_figure(fig, self.directory, stem)
        self.written += [self.directory / f"{stem}{suffix}" for suffix in (".png", ".svg")]
        svg = (self.directory / f"{stem}.svg").read_bytes()
        encoded = base64.b64encode(svg).decode("ascii")
        files = f"{layout.FIGURES}/{stem}.svg, .png"
        return EmbeddedFigure(f"data:image/svg+xml;base64,{encoded}", alt, files, kind)


def section(sid: str, title: str, html: str) -> dict[str, Any]:
    """A section as ``report.html.j2`` lays it out (``html`` already rendered and escaped)."""
    return {"id": sid, "title": title, "html": Markup(html)}
