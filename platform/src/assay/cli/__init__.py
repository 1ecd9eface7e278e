"""The ``assay`` command: one module per group of commands, composed here."""

import typer

from assay.cli import grading, images, problems, remote, service

app = typer.Typer(no_args_is_help=True, help="Assay grades backend take-home submissions.")
app.command()(grading.grade)
app.command()(grading.demo)
app.command()(images.reap)
app.command()(remote.submit)
app.command()(remote.status)
app.command()(service.serve)
app.command()(service.worker)

images_app = typer.Typer(no_args_is_help=True, help="The sandbox images.")
images_app.command("build")(images.build)
app.add_typer(images_app, name="images")

problems_app = typer.Typer(no_args_is_help=True, help="The problems this repository ships.")
problems_app.command("list")(problems.list_problems)
problems_app.command("validate")(problems.validate)
problems_app.command("export")(problems.export)
app.add_typer(problems_app, name="problems")

db_app = typer.Typer(no_args_is_help=True, help="The service's database.")
db_app.command("upgrade")(service.upgrade)
app.add_typer(db_app, name="db")

users_app = typer.Typer(no_args_is_help=True, help="Accounts, made on the server's host.")
users_app.command("create")(service.create_user)
app.add_typer(users_app, name="users")

tokens_app = typer.Typer(no_args_is_help=True, help="API tokens for the CLI and CI.")
tokens_app.command("create")(service.create_token)
app.add_typer(tokens_app, name="tokens")
