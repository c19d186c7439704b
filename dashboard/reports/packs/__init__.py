"""Meeting packs: everything a pack shows is read once (`gather`), then drawn as the slides of
presentation mode and PowerPoint (`slides`, `powerpoint`), a PDF for committee papers
(`committee`) and an Excel workbook (`workbook`); `contents` holds what more than one of them
shows, and `files` names each file kind's builder. The builders are pure functions returning bytes.

Packs use words and plain shapes, never emoji (no emoji font on a committee clerk's printer).
"""
