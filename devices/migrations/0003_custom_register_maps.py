# User-defined register maps: a device the catalogue does not know, read with reference "Custom".

import devices.models
import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('devices', '0002_predefined_usages_fluids_tick'),
    ]

    operations = [
        migrations.CreateModel(
            name='CustomRegisterMap',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=64, unique=True, verbose_name='name')),
                ('function', models.CharField(choices=[('holding', 'Holding registers (function 3)'), ('input', 'Input registers (function 4)')], default='holding', max_length=8, verbose_name='Modbus function')),
                ('max_registers', models.PositiveSmallIntegerField(default=100, help_text='The most registers the device answers in one request (the Modbus limit is 125).', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(125)], verbose_name='largest read (registers)')),
                ('word_order', models.CharField(choices=[('big', 'Big-endian: most significant word first'), ('little', 'Little-endian: least significant word first')], default='big', help_text='For values of two or four registers, unless a register says otherwise.', max_length=8, verbose_name='word order')),
                ('circuit_stride', models.PositiveIntegerField(default=0, help_text='Address step from one circuit to the next; the addresses below are those of circuit 1.', validators=[django.core.validators.MaxValueValidator(65535)], verbose_name='circuit stride')),
                ('circuits', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(64)], verbose_name='circuits')),
                ('note', models.TextField(blank=True, help_text="Where the map comes from, e.g. the manufacturer's table.", verbose_name='note')),
            ],
            options={
                'verbose_name': 'register map',
                'verbose_name_plural': 'register maps',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='CustomRegister',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(choices=devices.models.quantity_choices, max_length=32, verbose_name='quantity')),
                ('address', models.PositiveIntegerField(help_text='Zero-based, as sent on the wire.', validators=[django.core.validators.MaxValueValidator(65535)], verbose_name='address')),
                ('type', models.CharField(choices=[('u16', 'u16'), ('s16', 's16'), ('u32', 'u32'), ('s32', 's32'), ('u64', 'u64'), ('s64', 's64'), ('f32', 'f32'), ('f64', 'f64')], max_length=3, verbose_name='type')),
                ('scale', models.FloatField(default=1.0, validators=[devices.models.validate_not_zero], verbose_name='scale')),
                ('word_order', models.CharField(blank=True, choices=[('big', 'Big-endian: most significant word first'), ('little', 'Little-endian: least significant word first')], help_text="Blank: the map's word order.", max_length=8, verbose_name='word order')),
                ('scope', models.CharField(choices=[('device', 'Device: read once'), ('circuit', 'Circuit: read for each circuit')], default='circuit', max_length=8, verbose_name='scope')),
                ('not_available', models.PositiveBigIntegerField(blank=True, help_text='The raw value the device sends when it has none, e.g. 4294967295 for 0xFFFFFFFF.', null=True, verbose_name='not available value')),
                ('map', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registers', to='devices.customregistermap', verbose_name='register map')),
            ],
            options={
                'verbose_name': 'register',
                'verbose_name_plural': 'registers',
                'ordering': ['address'],
            },
        ),
        migrations.AddField(
            model_name='device',
            name='custom_map',
            field=models.ForeignKey(blank=True, help_text='Reference Custom only: the user-defined map the device is read with.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='devices', to='devices.customregistermap', verbose_name='register map'),
        ),
    ]
