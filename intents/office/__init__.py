"""The programme office's area: its pages (views/, urls.py) and their helpers: call
configuration (config, the area's actions), scores for lists and rankings, charts, exports."""
