"""The Documents section drawn in Python, as ``cases/_documents_section.html`` draws it.

Through the template language the section cost about 1,300 Python calls on
the case page and the client record alike (a lookup per value, the type list
an option at a time, the permission checks, the CSRF tag), most of them for
an empty list. ``{% documents_section %}`` draws it here; the template stays
the reference, and a test draws varied sections both ways and compares them.
Each piece keeps the template's whitespace.
"""

from typing import Any

from django.template import Context
from django.template.defaultfilters import filesizeformat
from django.template.defaulttags import CsrfTokenNode

from crm.core.links import quick_reverse
from crm.core.rows import RowPage, e
from crm.core.templatetags.dates import DATE_FORMATS

HEAD = (
    '\n<section class="card" id="documents" aria-labelledby="documents-heading">'
    '\n  <h2 id="documents-heading">Documents</h2>\n  '
)
TABLE = (
    '\n    <div class="table-wrap" tabindex="0">\n      <table class="table">'
    "\n        <thead>\n          <tr>\n"
    '            <th scope="col">Name</th>\n            <th scope="col">Type</th>\n'
    '            <th scope="col">Size</th>\n'
    '            <th scope="col">Uploaded by</th>\n'
    '            <th scope="col">Date</th>\n            {actions}\n'
    "          </tr>\n        </thead>\n        <tbody>\n          {rows}\n"
    "        </tbody>\n      </table>\n    </div>\n  "
)
ACTIONS_HEAD = (
    '\n              <th scope="col"><span class="sr-only">Actions</span></th>'
    "\n            "
)
ROW = (
    "\n            <tr>\n              <td>\n"
    '                <a href="{url}" download>{name}</a>\n              </td>\n'
    "              <td>{kind}</td>\n              <td>{size}</td>\n"
    "              <td>{by}</td>\n              <td>\n"
    '                <time datetime="{iso}">{day}</time>\n              </td>\n'
    "              {actions}\n            </tr>\n          "
)
DELETE = (
    '\n                <td class="actions">\n                  <form method="post"'
    '\n                        action="{url}"\n'
    '                        class="inline-form"'
    '\n                        data-confirm="Del'
    'ete {name}? The file is removed for good.">'
    "\n                    {csrf}"
    '\n                    <input type="hidden" name="next" value="{path}#documents">'
    '\n                    <button type="submit" '
    'class="button button--small button--danger">'
    '\n                      Delete<span class="sr-only"> {name}</span>'
    "\n                    </button>\n               "
    "   </form>\n                </td>\n              "
)
EMPTY = '\n    <p class="muted">\n      No documents yet.\n      {more}\n    </p>\n  '
UPLOAD_HINT = "Upload payslips, ID, offer letters and other files below."
UPLOAD = (
    '\n    <form method="post"\n          enctype="multipart/form-data"'
    '\n          class="form"\n          action="{action}">\n      {csrf}'
    '\n      <input type="hidden" name="next" value="{path}#documents">'
    '\n      <div class="field">\n        <label for="document-file">File</label>'
    '\n        <input type="file"\n               '
    'name="file"\n               id="document-file"'
    "\n               required"
    '\n               aria-describedby="document-file-help"'
    '\n               accept=".pdf,.jpg,.jpeg,.'
    'png,.heic,.doc,.docx,.xls,.xlsx,.txt,.csv">'
    '\n        <div class="helptext" id="document-file-help">'
    "\n          PDF, images (JPG, PNG, HEIC), Word, Excel, text or CSV; at most 20 MB."
    '\n        </div>\n      </div>\n      <div class="field">'
    '\n        <label for="document-type">Document type</label>'
    '\n        <select name="document_type" id="document-type" required>'
    '\n          <option value="">Choose a type</option>\n          {options}'
    '\n        </select>\n      </div>\n      <div class="form-actions">'
    '\n        <button type="submit" class="button button--primary">Upload</button>'
    "\n      </div>\n    </form>\n  "
)


def draw(context: Context) -> str:
    """Return the section for the template context of the case page or record."""
    page = RowPage(context)
    can_edit = "edit_cases" in page.permissions
    csrf = CsrfTokenNode().render(context) if can_edit else ""
    request = context.get("request")
    path = e(request.get_full_path()) if request is not None else ""
    documents = context.get("documents") or ()
    out = [HEAD]
    if documents:
        rows = "".join(_row(d, page, can_edit, csrf, path) for d in documents)
        actions = ACTIONS_HEAD if can_edit else ""
        out.append(TABLE.format(actions=actions, rows=rows))
    else:
        out.append(EMPTY.format(more=UPLOAD_HINT if can_edit else ""))
    out.append("\n  ")
    if can_edit:
        out.append(_upload(context, csrf, path))
    out.append("\n</section>")
    return "".join(out)


def _row(document: Any, page: RowPage, can_edit: bool, csrf: str, path: str) -> str:
    name = e(document.original_name)
    uploaded_by = document.uploaded_by
    by = uploaded_by.full_name if uploaded_by is not None else ""
    created = document.created_at
    local = (
        created.astimezone(page.zone) if created.utcoffset() is not None else created
    )
    actions = ""
    if can_edit:
        url = e(quick_reverse("cases:document_delete", [document.pk]))
        actions = DELETE.format(url=url, name=name, csrf=csrf, path=path)
    return ROW.format(
        url=e(quick_reverse("cases:document_download", [document.pk])),
        name=name,
        kind=e(page.display(document, "document_type")),
        size=e(filesizeformat(document.size)),
        by=e(by) if by else "—",
        iso=e(DATE_FORMATS["c"](local)),
        day=page.day(local.date()),
        actions=actions,
    )


def _upload(context: Context, csrf: str, path: str) -> str:
    case = context.get("case")
    if case:
        action = quick_reverse("cases:document_upload_case", [case.pk])
    else:
        contact = context["contact"]
        action = quick_reverse("cases:document_upload_contact", [contact.pk])
    types = context.get("document_types") or ()
    options = "".join(
        f'<option value="{e(value)}">{e(label)}</option>' for value, label in types
    )
    return UPLOAD.format(action=e(action), csrf=csrf, path=path, options=options)
