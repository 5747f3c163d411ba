# The generation job moves to storyforge.generation (its 0001 migration), with
# every row: the table is renamed here and the model leaves this app's state.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0003_story_share_token"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="generationjob", table="generation_generationjob")],
            state_operations=[migrations.DeleteModel(name="GenerationJob")],
        ),
    ]
