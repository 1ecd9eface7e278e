"""Problems on disk, read into typed objects the grader can rely on."""
