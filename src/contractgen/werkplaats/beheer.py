"""`python -m contractgen.werkplaats.beheer COMMAND`: Django's manage.py for the workplace (migrate, db_worker, …).

The paths come from the environment (see `instellingen`); `contractgen werkplaats` sets them.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contractgen.werkplaats.instellingen")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
