"""Grade a submission: run the stages in a pod, derive signals, score them against the rubric."""
