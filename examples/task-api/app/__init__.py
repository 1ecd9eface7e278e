"""Task API: users, projects with members, and the tasks of each project."""
