"""Build spec/companion.yaml from Campfire's published OpenAPI schema (interface facts only).

Usage: python spec/build_companion.py PUBLISHED_SCHEMA.json > spec/companion.yaml
Keeps the companion operations, the schemas they reach, and writes our own descriptions.
"""
import json
import sys

import yaml

d = json.load(open(sys.argv[1]))
OPS = {
 ("post", "/coa/api/v1/invoice/"): "Create an invoice; posts its journal entry (debit AR, credit revenue and tax).",
 ("get", "/coa/api/v1/invoice/"): "List invoices of the caller's organization, newest first, paginated.",
 ("get", "/coa/api/v1/invoice/{id}/"): "Retrieve one invoice with its lines, payments and amounts.",
 ("post", "/coa/api/v1/invoice/{invoice_id}/pay/"): "Record payments against an invoice (bank transactions, credit memos, manual payments) and post their journal entries.",
 ("get", "/coa/api/v1/invoice-payments"): "List invoice payments, voided ones included unless filtered.",
 ("get", "/coa/api/journal_entry/{id}"): "Retrieve a journal entry with its lines.",
 ("get", "/coa/api/v1/credit-memo/{id}"): "Retrieve a credit memo with its remaining balance.",
 ("get", "/coa/api/entity"): "List the entities (books) of the organization.",
 ("get", "/coa/api/vendor"): "List vendors; customers are vendors of type customer.",
 ("get", "/coa/api/account"): "List the chart of accounts.",
}
DROP = {'description', 'examples', 'example', 'title'}
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in DROP}
    if isinstance(o, list):
        return [strip(x) for x in o]
    return o
def refs(o, acc):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == '$ref': acc.add(v.split('/')[-1])
            else: refs(v, acc)
    elif isinstance(o, list):
        for x in o: refs(x, acc)
paths = {}
todo = set()
for (m, p), desc in OPS.items():
    op = strip(d['paths'][p][m])
    op['description'] = desc
    for r in op['responses'].values():
        r['description'] = ''
    refs(op, todo)
    paths.setdefault(p, {})[m] = op
# OpenAPI links, so a stateful client (Schemathesis) can chain create -> pay -> read back. The link
# pay -> void targets the seed document's operation: conformance/fuzz.py adds it where both are in one
# document (here it would dangle, and Schemathesis rejects the document's links).
LINKS = {
    ("post", "/coa/api/v1/invoice/", "201"): {
        "PayTheInvoice": {"operationId": "coa_api_v1_invoice_pay_create",
                          "parameters": {"invoice_id": "$response.body#/id"}},
        "ReadTheInvoice": {"operationId": "coa_api_v1_invoice_retrieve", "parameters": {"id": "$response.body#/id"}},
    },
    ("post", "/coa/api/v1/invoice/{invoice_id}/pay/", "200"): {
        "ReadThePaidInvoice": {"operationId": "coa_api_v1_invoice_retrieve",
                               "parameters": {"id": "$request.path.invoice_id"}},
    },
}
for (method, path, status), links in LINKS.items():
    paths[path][method]["responses"][status]["links"] = links
seen = set()
while todo:
    n = todo.pop()
    if n in seen: continue
    seen.add(n); s = set(); refs(d['components']['schemas'][n], s); todo |= s - seen
schemas = {n: strip(d['components']['schemas'][n]) for n in sorted(seen)}
# Fields the published schema calls required and non-null that have no value until an event
# happens (a memo never voided, an account never reconciled): made nullable, see spec/README.md.
for name, field in [('AccountingCreditMemo', 'voided_date'), ('AccountingCreditMemo', 'voided_journal_entry_order'),
                    ('ChartAccount', 'reconciliation_ending_date')]:
    schemas[name]['properties'][field]['nullable'] = True
doc = {
  'openapi': '3.0.3',
  'info': {'title': 'Campfire companion operations for Void Invoice Payment', 'version': '1.0.0',
           'description': 'The operations a client of the void operation needs to create and observe state. Paths, parameters and schemas follow the published Campfire schema.'},
  'servers': d['servers'],
  'security': [],
  'paths': paths,
  'components': {'schemas': schemas, 'securitySchemes': d['components']['securitySchemes']},
}
yaml.safe_dump(doc, sys.stdout, sort_keys=False, width=100, allow_unicode=True)
