"""The second round: a draft general comment, split into its numbered paragraphs.

Pure like `submissions.compliance`: bytes in, a result out; no Django, database or clock.
"""

from submissions.drafts.split import Draft, DraftParagraph, Problem, split_draft

__all__ = ["Draft", "DraftParagraph", "Problem", "split_draft"]
