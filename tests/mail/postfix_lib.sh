# A Postfix instance of its own on loopback, for tests/mail/postfix_milter_test.sh and bench/milter/run.sh
# (sourced). Its config, queue, data and mail folders live in a directory the caller gives; nothing listens
# beyond 127.0.0.1; the system's Postfix configuration (/etc/postfix) is only read (master.cf is copied).
# Two SMTP listeners: one with the milter attached, one without, for comparison. Mail for the virtual
# domain tandem.test goes to the Maildirs $pf/mail/assistant/ and $pf/mail/dana/.
#
#   pf_install || skip "$pf_problem"        # root; installs the postfix package with apt-get when missing
#   pf_configure DIR MILTER                 # sets pf=DIR, smtp_port (milter), plain_port (no milter);
#                                           # MILTER: a port on 127.0.0.1, or as Postfix writes it (unix:/path)
#   pf_start || skip "$pf_problem"          # postfix check + start
#   pf_wait_port "$smtp_port" || fail ...   # up to 10 s for a listener
#   pf_stop                                 # postfix stop (harmless when it is not running)
# Callers stop it at exit whatever happens: trap '...; pf_stop' EXIT.

pf_free_port() {  # a TCP port free on 127.0.0.1 now
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pf_wait_port() {  # pf_wait_port PORT: up to 10 s for something to listen on 127.0.0.1:PORT
  for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

pf_install() {
  pf_problem=""
  [[ $(id -u) -eq 0 ]] || { pf_problem="needs root to install and start a Postfix instance"; return 1; }
  if ! command -v postfix >/dev/null || [[ ! -x /usr/lib/postfix/sbin/master ]]; then
    local log
    log=$(mktemp)
    export DEBIAN_FRONTEND=noninteractive
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2>/dev/null
    echo "installing postfix (apt-get) ..." >&2
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends postfix; } >"$log" 2>&1; then
      pf_problem="postfix could not be installed: $(tail -1 "$log")"
      rm -f "$log"
      return 1
    fi
    rm -f "$log"
  fi
  id postfix >/dev/null 2>&1 || { pf_problem="the postfix user is missing after the install"; return 1; }
}

pf_configure() {  # pf_configure DIR MILTER
  pf=$1
  local milter=$2
  [[ $milter =~ ^[0-9]+$ ]] && milter=inet:127.0.0.1:$milter
  smtp_port=$(pf_free_port)
  plain_port=$(pf_free_port)
  # The postfix user delivers below DIR: the folders above it must let it through.
  chmod 755 "$(dirname "$pf")"
  mkdir -p "$pf/conf" "$pf/spool" "$pf/data" "$pf/mail"
  chown postfix "$pf/data"
  chown postfix:postfix "$pf/mail"
  # The package's master.cf (a package installed with "No configuration" may have only the shipped copy).
  if [[ -f /etc/postfix/master.cf ]]; then cp /etc/postfix/master.cf "$pf/conf/master.cf"
  else cp /usr/share/postfix/master.cf.dist "$pf/conf/master.cf"; fi
  printf 'assistant@tandem.test assistant/\ndana@tandem.test dana/\n' >"$pf/conf/vmailbox"
  cat >"$pf/conf/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $pf/spool
data_directory = $pf/data
maillog_file = $pf/postfix.log
maillog_file_prefixes = $pf
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.tandem.test
mydestination =
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
virtual_mailbox_domains = tandem.test
virtual_mailbox_base = $pf/mail
virtual_mailbox_maps = texthash:$pf/conf/vmailbox
virtual_uid_maps = static:$(id -u postfix)
virtual_gid_maps = static:$(id -g postfix)
virtual_minimum_uid = 1
message_size_limit = 60000000
virtual_mailbox_limit = 0
mailbox_size_limit = 0
smtpd_milters = $milter
non_smtpd_milters = \$smtpd_milters
milter_protocol = 6
milter_default_action = accept
CF
  postconf -c "$pf/conf" -M# 'smtp/inet' 2>/dev/null
  postconf -c "$pf/conf" -M "127.0.0.1:$smtp_port/inet=127.0.0.1:$smtp_port inet n - n - - smtpd"
  # A second listener without the milter: the same mail, for comparison.
  postconf -c "$pf/conf" -M "127.0.0.1:$plain_port/inet=127.0.0.1:$plain_port inet n - n - - smtpd -o smtpd_milters="
}

pf_start() {  # postfix check + start; then pf_wait_port "$smtp_port" to know it listens
  pf_problem=""
  postfix -c "$pf/conf" check </dev/null >/dev/null 2>&1
  postfix -c "$pf/conf" start </dev/null >/dev/null 2>&1 ||
    { pf_problem="postfix did not start: $(tail -3 "$pf/postfix.log" 2>/dev/null)"; return 1; }
}

pf_stop() {
  [[ -n ${pf:-} && -f $pf/conf/main.cf ]] && postfix -c "$pf/conf" stop </dev/null >/dev/null 2>&1
  return 0
}
