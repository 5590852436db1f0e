from django.contrib import admin

admin.site.site_header = "Quote Tracker editorial admin"
admin.site.site_title = "Quote Tracker admin"
admin.site.index_title = "Editorial corrections"
