"""What people see: the interview (:mod:`.prompts`), the human-readable reports of each
command (:mod:`.reports`) and ``setup``'s progress lines (:mod:`.progress`).

The layer above the pipeline: it reads answers, decisions and results, and nothing
below imports it.
"""
