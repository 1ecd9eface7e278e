"""The human part of a grading: manual criteria scored 1-5, overrides, and their audit trail."""
