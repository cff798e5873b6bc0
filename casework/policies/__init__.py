"""The trust's policy as versioned data: importing a document as clauses, and its versions.

``reading`` turns a plain-text, Word (.docx) or PDF document into lines of text;
``parsing`` finds in those lines the title, the adopting body and dates, the DO and DO NOT
lists and the general standards, and proposes codes, flags and summaries; ``review``
applies HR's decisions to the proposal; ``importing`` adopts the confirmed proposal as the
trust's current version; ``changes`` says what changed between two versions; ``figures``
holds the numbers of the procedure that a version states in its own words.
"""
