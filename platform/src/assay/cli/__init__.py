"""The ``assay`` command: one module per group of commands, composed here."""

import typer

from assay.cli import grading, images, problems

app = typer.Typer(no_args_is_help=True, help="Assay grades backend take-home submissions.")
app.command()(grading.grade)
app.command()(grading.demo)
app.command()(images.reap)

images_app = typer.Typer(no_args_is_help=True, help="The sandbox images.")
images_app.command("build")(images.build)
app.add_typer(images_app, name="images")

problems_app = typer.Typer(no_args_is_help=True, help="The problems this repository ships.")
problems_app.command("list")(problems.list_problems)
problems_app.command("validate")(problems.validate)
app.add_typer(problems_app, name="problems")
