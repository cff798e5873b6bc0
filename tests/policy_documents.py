"""Policy documents of different shapes, written by the tests themselves, with the clauses
each must import to (codes and exact texts).

- Oakfield (plain text, tests/fixtures/policies): "Staff must:" / "Staff must not:",
  dashed items wrapped over indented lines, one ending "; and".
- Harbour (Word): "You should" / "You should not" as Word headings, Word numbered and
  bulleted list paragraphs, the facts on separate lines.
- Riverside (PDF): "DO" / "DON'T" headings, items numbered "1)" and bulleted "•" as
  typed, wrapped under a hanging indent, the DON'T list on a second page.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "tests" / "fixtures" / "policies"


def oakfield_text() -> bytes:
    return (FIXTURES / "oakfield-online-conduct.txt").read_bytes()


OAKFIELD_TRUST = "Oakfield Learning Trust"
OAKFIELD_CLAUSES = [
    (
        "GEN-1",
        "All staff are expected to uphold the reputation of the trust when they are online, "
        "whether or not they say where they work, and to treat colleagues, pupils and parents "
        "with respect in every post.",
    ),
    (
        "GEN-2",
        "Staff should remember that a post can be copied and shared long after it is deleted.",
    ),
    (
        "DO-1",
        "keep their personal accounts private and review the privacy settings of each account "
        "at least once a term;",
    ),
    (
        "DO-2",
        "use only the school's approved accounts, set up by the online services lead, to post "
        "about school events; and",
    ),
    (
        "DO-3",
        "report to the designated safeguarding lead, on the same day, any approach online from "
        "a pupil or a former pupil.",
    ),
    (
        "DONT-1",
        "accept or send friend requests to pupils, or to former pupils within five years of "
        "their leaving the school;",
    ),
    ("DONT-2", "post photographs of colleagues or pupils without their written consent;"),
    (
        "DONT-3",
        "share confidential information about the trust, its pupils or its staff on any platform.",
    ),
]


HARBOUR_TRUST = "Harbour Schools Partnership"
HARBOUR_CLAUSES = [
    (
        "GEN-1",
        "Everyone who works or volunteers in our schools must model the respectful, honest "
        "conduct that we ask of our pupils, online as much as in the classroom.",
    ),
    (
        "GEN-2",
        "Staff should ask the headteacher before posting if they are unsure whether a post "
        "is appropriate.",
    ),
    ("DO-1", "Think before you post: once shared, a post is out of your control."),
    (
        "DO-2",
        "Tell your headteacher if a parent or pupil contacts you through a personal account.",
    ),
    (
        "DONT-1",
        "Contact pupils, or pupils who left the school in the last two years, through personal "
        "accounts or private messages.",
    ),
    ("DONT-2", "Film or photograph pupils on a personal device."),
]


def harbour_word() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(
        "Harbour Schools Partnership: Acceptable Use of Social Media Code", style="Title"
    )
    document.add_paragraph("Adopted by: the Partnership Board")
    document.add_paragraph("Date of adoption: 1 September 2025")
    document.add_paragraph("Review date: July 2027")
    document.add_heading("Our expectations", level=1)
    document.add_paragraph(dict(HARBOUR_CLAUSES)["GEN-1"])
    document.add_heading("You should", level=2)
    document.add_paragraph(dict(HARBOUR_CLAUSES)["DO-1"], style="List Number")
    document.add_paragraph(dict(HARBOUR_CLAUSES)["DO-2"], style="List Number")
    document.add_heading("You should not", level=2)
    document.add_paragraph(dict(HARBOUR_CLAUSES)["DONT-1"], style="List Bullet")
    document.add_paragraph(dict(HARBOUR_CLAUSES)["DONT-2"], style="List Bullet")
    document.add_paragraph(
        "Any breach of this code may be treated as misconduct under the disciplinary procedure."
    )
    document.add_paragraph(dict(HARBOUR_CLAUSES)["GEN-2"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


RIVERSIDE_TRUST = "Riverside Academy Trust"
RIVERSIDE_MISSION = (
    "Every child at a Riverside school is known, valued and helped to flourish, and every "
    "adult who works with them models the care and honesty we hope they will learn."
)
RIVERSIDE_CLAUSES = [
    (
        "GEN-1",
        "Staff are expected to keep a clear line between their professional and personal "
        "lives online, and to think about how a post would look to a parent before they "
        "share it.",
    ),
    (
        "DO-1",
        "Use a professional tone in every post made from a school account, remembering that "
        "parents, pupils, governors and the local press may read it, copy it and share it "
        "long after it was written;",
    ),
    ("DO-2", "Check the privacy settings of your personal accounts each term."),
    (
        "DONT-1",
        "Post or share images of pupils on personal accounts, including pictures taken on "
        "school trips, at performances and at sports fixtures, even when a parent has shared "
        "them first;",
    ),
    (
        "DONT-2",
        "Message current pupils, or former pupils within four years of their leaving school, "
        "from a personal account.",
    ),
]


def riverside_pdf() -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    clauses = dict(RIVERSIDE_CLAUSES)

    def item(marker: str, text: str) -> str:
        return f'<p class="item">{marker}&#160;{escape(text)}</p>'

    html = f"""<!doctype html><html><head><style>
      @page {{ size: A4; margin: 25mm; @bottom-center {{ content: counter(page);
               font-family: 'DejaVu Sans'; font-size: 9pt; }} }}
      body {{ font-family: 'DejaVu Sans'; font-size: 11pt; line-height: 1.4; }}
      p {{ margin: 0 0 10pt; }}
      .item {{ padding-left: 18pt; text-indent: -18pt; margin-bottom: 4pt; }}
      h2 {{ font-size: 13pt; margin: 14pt 0 6pt; }}
      .new-page {{ break-before: page; }}
    </style></head><body>
      <h1>Riverside Academy Trust Social Media Policy for Staff</h1>
      <p>Ratified by the Local Governing Body: 3 February 2025</p>
      <p>To be reviewed by the Trust Board by February 2027</p>
      <h2>Our mission</h2>
      <p>{escape(RIVERSIDE_MISSION)}</p>
      <p>{escape(clauses["GEN-1"])}</p>
      <h2>DO</h2>
      {item("1)", clauses["DO-1"])}
      {item("2)", clauses["DO-2"])}
      <h2 class="new-page">DON&#8217;T</h2>
      {item("•", clauses["DONT-1"])}
      {item("•", clauses["DONT-2"])}
      <p>Failure to follow this policy may lead to action under the disciplinary policy,
      up to and including dismissal.</p>
    </body></html>"""
    return HTML(string=html).write_pdf()
