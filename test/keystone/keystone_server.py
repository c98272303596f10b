"""A throwaway Keystone for the tests, supervised by one process.

Usage: /usr/bin/python3 keystone_server.py DIR   (DIR: an empty directory the postgres user can read)
Environment: KEYSTONE_ADMIN_PASSWORD (the bootstrap admin's password).

1. PostgreSQL (Debian's postgresql) in DIR/pg, on a unix socket only (no TCP), run as the postgres
   user when started as root. Not sqlite: deleting an application credential on sqlite fails with
   "database is locked" in the single-threaded test server.
2. keystone-manage db_sync, fernet_setup, credential_setup and bootstrap, run in this process
   (one Python start-up instead of four: about 10 s less).
3. Keystone's public WSGI application on wsgiref, as Debian's keystone-wsgi-public runs it
   (single-threaded), on 127.0.0.1 with a port the OS picks.

Prints one JSON line on stdout when Keystone listens: {"port": N}; or {"error": "..."} and exits 1.
Logs go to DIR/keystone.log, DIR/requests.log and DIR/postgres.log. Exits, stopping PostgreSQL, when stdin closes: the test
process that started it can never leave a server behind, even when it is killed.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

DIR = os.path.abspath(sys.argv[1])
PG = os.path.join(DIR, 'pg')
PG_PORT = '5432'  # only names the socket file inside PG; there is no TCP listener
postgres = None


def fail(message):
    print(json.dumps({'error': message}), flush=True)
    stop_postgres()
    os._exit(1)  # not sys.exit: the stdin watcher thread is still reading


def stop_postgres():
    if postgres and postgres.poll() is None:
        postgres.send_signal(signal.SIGINT)  # "fast" shutdown: Keystone's connection pool may still be open
        try:
            postgres.wait(10)
        except subprocess.TimeoutExpired:
            postgres.kill()


def watch_stdin():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        stop_postgres()
        os._exit(0)


def pg_bin():
    base = '/usr/lib/postgresql'
    versions = sorted(os.listdir(base), key=lambda v: int(v) if v.isdigit() else 0) if os.path.isdir(base) else []
    for v in reversed(versions):
        if os.path.exists(os.path.join(base, v, 'bin', 'initdb')):
            return os.path.join(base, v, 'bin')
    fail('PostgreSQL is missing (no /usr/lib/postgresql/*/bin/initdb): install the Debian package postgresql (scripts/system-deps.sh)')


def as_postgres():
    # initdb and postgres refuse to run as root.
    return {'user': 'postgres', 'group': 'postgres'} if os.getuid() == 0 else {}


def start_postgres(log):
    global postgres
    binary = pg_bin()
    os.makedirs(PG, exist_ok=True)
    if os.getuid() == 0:
        shutil.chown(PG, 'postgres', 'postgres')
    data = os.path.join(PG, 'data')
    subprocess.run(
        [os.path.join(binary, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '-N', '-E', 'UTF8', '--locale=C.UTF-8'],
        check=True, stdout=log, stderr=log, timeout=60, **as_postgres())
    # Throwaway data: no fsync, no TCP; the socket lives in PG.
    postgres = subprocess.Popen(
        [os.path.join(binary, 'postgres'), '-D', data, '-k', PG, '-p', PG_PORT, '-c', 'listen_addresses=',
         '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, **as_postgres())
    import psycopg2
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = psycopg2.connect(host=PG, port=PG_PORT, user='postgres', dbname='postgres')
            break
        except psycopg2.OperationalError:
            if postgres.poll() is not None or time.monotonic() > deadline:
                fail('PostgreSQL did not start (see %s)' % os.path.join(DIR, 'postgres.log'))
            time.sleep(0.05)
    conn.autocommit = True
    conn.cursor().execute('CREATE DATABASE keystone')
    conn.close()


def write_config():
    for d in ('fernet', 'fernet-receipts', 'credential'):
        os.makedirs(os.path.join(DIR, d), mode=0o700, exist_ok=True)
    path = os.path.join(DIR, 'keystone.conf')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join([
            '[DEFAULT]',
            'log_file = %s' % os.path.join(DIR, 'keystone.log'),
            '[database]',
            'connection = postgresql+psycopg2://postgres@/keystone?host=%s&port=%s' % (PG, PG_PORT),
            '[token]',
            'provider = fernet',
            '[fernet_tokens]',
            'key_repository = %s' % os.path.join(DIR, 'fernet'),
            # Without this, fernet_setup also writes keys to /etc/keystone/fernet-keys.
            '[fernet_receipts]',
            'key_repository = %s' % os.path.join(DIR, 'fernet-receipts'),
            '[credential]',
            'key_repository = %s' % os.path.join(DIR, 'credential'),
            # pbkdf2 with few rounds: fast (every password and application credential secret is
            # hashed), and unlike bcrypt it does not cut secrets at 72 bytes, so the tests' long
            # secrets are compared in full.
            '[identity]',
            'password_hash_algorithm = pbkdf2_sha512',
            'password_hash_rounds = 1000',
            # The tests' TLS terminator sends X-Forwarded-Proto, so the links Keystone returns say https.
            '[oslo_middleware]',
            'enable_proxy_headers_parsing = true',
            '',
        ]))
    return path


def keystone_manage(config, args):
    from keystone.cmd import cli
    from keystone.conf import CONF
    try:
        cli.main(argv=['keystone-manage', '--config-file', config] + args)
    finally:
        # cli.main registers its sub-command option and parses the configuration on every call.
        CONF.reset()
        CONF.unregister_opt(cli.command_opt)
        CONF.clear()


def main():
    threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        fail('psycopg2 is missing: install the Debian package python3-psycopg2 (scripts/system-deps.sh)')
    try:
        import keystone.cmd.cli  # noqa: F401
        from keystone.server.wsgi import initialize_public_application
    except ImportError as e:
        fail('Keystone is missing (%s): install the Debian package python3-keystone (scripts/system-deps.sh)' % e)
    password = os.environ.get('KEYSTONE_ADMIN_PASSWORD')
    if not password:
        fail('KEYSTONE_ADMIN_PASSWORD is not set')
    with open(os.path.join(DIR, 'postgres.log'), 'ab') as log:
        start_postgres(log)
    config = write_config()
    owner = ['--keystone-user', str(os.getuid()), '--keystone-group', str(os.getgid())]
    keystone_manage(config, ['db_sync'])
    keystone_manage(config, ['fernet_setup'] + owner)
    keystone_manage(config, ['credential_setup'] + owner)
    keystone_manage(config, ['bootstrap', f'--bootstrap-password={password}'])  # '=': a password may start with '-'

    import wsgiref.simple_server as wss

    class QuietHandler(wss.WSGIRequestHandler):
        def log_message(self, format, *args):  # request lines go to the log file, not to the test output
            with open(os.path.join(DIR, 'requests.log'), 'a', encoding='utf-8') as f:
                f.write('%s %s\n' % (self.address_string(), format % args))

    os.environ['OS_KEYSTONE_CONFIG_FILES'] = config
    sys.argv[1:] = []  # the application parses the command line for oslo.config options, as keystone-wsgi-public arranges
    # bootstrap instantiated and locked the provider registry; the application builds its own.
    from keystone.common import provider_api
    provider_api.ProviderAPIs._clear_registry_instances()
    server = wss.make_server('127.0.0.1', 0, initialize_public_application(), handler_class=QuietHandler)
    print(json.dumps({'port': server.server_port}), flush=True)
    server.serve_forever()


if __name__ == '__main__':
    try:
        main()
    except BaseException as e:  # noqa: BLE001 - report any start-up failure as one line
        fail('%s: %s' % (type(e).__name__, e))
