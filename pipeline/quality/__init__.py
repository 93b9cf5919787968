"""Data quality: the rules, the validation stage that applies them, and their summaries.

`pipeline.quality.validate.validate` turns two loaded extracts into a `Dataset` or stops the
run with every fatal problem named; docs/data-quality.md lists each rule and its treatment.
"""
