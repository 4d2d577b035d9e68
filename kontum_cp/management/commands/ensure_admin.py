"""Create the first administrator, but only when the database has no user yet."""
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from kontum_cp.roles import ADMINISTRATOR


class Command(BaseCommand):
    help = "Create a first administrator with a random one-time password if no user exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.exists():
            self.stdout.write("Users already exist; no administrator created.")
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=options["username"], email="", password=password)
        group, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
        user.groups.add(group)
        bar = "=" * 60
        self.stdout.write(self.style.SUCCESS(
            f"{bar}\nFirst administrator created.\n  User name: {user.username}\n"
            f"  One-time password: {password}\nSign in at http://127.0.0.1:8000/ and change it "
            f"(Administration → change password).\n{bar}"
        ))
