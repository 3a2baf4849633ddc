"""What the quotes component finds and the speakers component completes (on ``Doc._.quotes``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

Kind = Literal["direct", "indirect", "mixed"]
Resolution = Literal["name", "alias", "pronoun", "descriptor", "continuation", "unresolved"]


class Segmented:
    """Text in one or more (start, end) segments: a quote split by its cue, or running
    over several paragraphs."""

    segments: list[tuple[int, int]]

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]


@dataclass
class SpeakerRef:
    start: int
    end: int
    text: str
    head: int  # token index of the mention's head, for resolution
    core: str = ""  # the bare noun phrase ("Pat Caddell" of "Pat Caddell, a pollster,")
    entity: Optional[str] = None
    name: Optional[str] = None
    resolution: Resolution = "unresolved"


@dataclass
class FoundQuote(Segmented):
    kind: Kind
    segments: list[tuple[int, int]]
    text: str
    cue: Optional[tuple[int, int]] = None
    speaker: Optional[SpeakerRef] = None
    confidence: float = 0.5
    # No cue of its own: the speaker comes from the context (the quote before, or the
    # subject of the sentence before). Filled in by the speakers component.
    continuation: bool = False
    id: str = ""
