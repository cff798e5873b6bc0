"""Letters: each kind's rules (kinds), what every letter says (context), the PDF (rendering).

Issuing, delivering and downloading letters are services (casework.services.letters); the
words are templates (templates/letters/), one per kind, sharing base_letter.html.
"""

import logging

from casework.errors import CaseworkError

# WeasyPrint reports each layout step at INFO: every letter would add ten lines to the log.
# Set here, before anything imports WeasyPrint (casework.letters.rendering does).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class LetterFailed(CaseworkError):
    """The letter could not be produced, stored or sent; nothing was changed."""
