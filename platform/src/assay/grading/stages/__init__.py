"""One module per grading stage; each fills its part of the report and says how it went."""
