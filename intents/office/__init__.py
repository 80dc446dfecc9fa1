"""The programme office's area: its pages (views/, urls.py), its actions (actions: decisions
and their release, the ZIP of a call's documents; config: the call's configuration) and their
helpers: scores for lists and rankings, charts, exports."""
