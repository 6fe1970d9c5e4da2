"""The web app (thesis 5.6): a separation page, a JSON API and the listening test (5.5.2).

>>> from querysep.web.app import create_app
>>> from querysep.web.server import serve
"""
