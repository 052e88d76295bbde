/// The keywords OpenSSH's configuration files accept, lower-cased: the union over the
/// releases 8.0 to 10.2 (from the `keywords[]` tables of servconf.c and readconf.c) plus
/// Debian's GSSAPI key exchange and banner patches. A keyword outside these makes sshd
/// (or ssh) refuse the file. Generated from OpenSSH's sources; the semantics below
/// (accumulating keywords, times, algorithm lists) are read from the same files.
enum SSHKeywords {
    /// sshd_config keywords allowed inside a `Match` block (SSHCFG_ALL or SSHCFG_MATCH).
    static let serverMatch: Set<String> = [
        "acceptenv", "allowagentforwarding", "allowgroups", "allowstreamlocalforwarding",
        "allowtcpforwarding", "allowusers", "authenticationmethods", "authorizedkeyscommand",
        "authorizedkeyscommanduser", "authorizedkeysfile", "authorizedkeysfile2",
        "authorizedprincipalscommand", "authorizedprincipalscommanduser",
        "authorizedprincipalsfile", "banner", "casignaturealgorithms",
        "challengeresponseauthentication", "channeltimeout", "chrootdirectory",
        "clientalivecountmax", "clientaliveinterval", "denygroups", "denyusers",
        "disableforwarding", "exposeauthinfo", "forcecommand", "gatewayports",
        "gssapiauthentication", "hostbasedacceptedalgorithms", "hostbasedacceptedkeytypes",
        "hostbasedauthentication", "hostbasedusesnamefrompacketonly", "ignorerhosts", "include",
        "ipqos", "kbdinteractiveauthentication", "kerberosauthentication", "loglevel", "logverbose",
        "match", "maxauthtries", "maxsessions", "pamservicename", "passwordauthentication",
        "permitemptypasswords", "permitlisten", "permitopen", "permitrootlogin", "permittty",
        "permittunnel", "permituserrc", "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes",
        "pubkeyauthentication", "pubkeyauthoptions", "rdomain", "refuseconnection", "rekeylimit",
        "requiredrsasize", "revokedkeys", "rhostsrsaauthentication", "rsaauthentication", "setenv",
        "skeyauthentication", "streamlocalbindmask", "streamlocalbindunlink", "subsystem",
        "trustedusercakeys", "unusedconnectiontimeout", "x11displayoffset", "x11forwarding",
        "x11uselocalhost",
    ]
    /// sshd_config keywords allowed only in the global section.
    static let serverGlobal: Set<String> = [
        "addressfamily", "afstokenpassing", "checkmail", "ciphers", "compression", "debianbanner",
        "dsaauthentication", "fingerprinthash", "gssapicleanupcredentials",
        "gssapidelegatecredentials", "gssapikexalgorithms", "gssapikeyexchange",
        "gssapistorecredentialsonrekey", "gssapistrictacceptorcheck", "hostcertificate",
        "hostdsakey", "hostkey", "hostkeyagent", "hostkeyalgorithms", "ignoreuserknownhosts",
        "keepalive", "kerberosgetafstoken", "kerberosorlocalpasswd", "kerberostgtpassing",
        "kerberosticketcleanup", "kexalgorithms", "keyregenerationinterval", "listenaddress",
        "logingracetime", "macs", "maxstartups", "modulifile", "pamauthenticationviakbdint",
        "permituserenvironment", "persourcemaxstartups", "persourcenetblocksize",
        "persourcepenalties", "persourcepenaltyexemptlist", "pidfile", "port", "printlastlog",
        "printmotd", "protocol", "reversemappingcheck", "rhostsauthentication",
        "securitykeyprovider", "serverkeybits", "sshdauthpath", "sshdsessionpath", "strictmodes",
        "syslogfacility", "tcpkeepalive", "usedns", "uselogin", "usepam", "useprivilegeseparation",
        "verifyreversemapping", "versionaddendum", "xauthlocation",
    ]
    /// ssh_config keywords (any may appear in a Host or Match block).
    static let client: Set<String> = [
        "addkeystoagent", "addressfamily", "afstokenpassing", "batchmode", "bindaddress",
        "bindinterface", "canonicaldomains", "canonicalizefallbacklocal", "canonicalizehostname",
        "canonicalizemaxdots", "canonicalizepermittedcnames", "casignaturealgorithms",
        "certificatefile", "challengeresponseauthentication", "channeltimeout", "checkhostip",
        "cipher", "ciphers", "clearallforwardings", "compression", "compressionlevel",
        "connectionattempts", "connecttimeout", "controlmaster", "controlpath", "controlpersist",
        "dsaauthentication", "dynamicforward", "enableescapecommandline", "enablesshkeysign",
        "escapechar", "exitonforwardfailure", "fallbacktorsh", "fingerprinthash",
        "forkafterauthentication", "forwardagent", "forwardx11", "forwardx11timeout",
        "forwardx11trusted", "gatewayports", "globalknownhostsfile", "globalknownhostsfile2",
        "gssapiauthentication", "gssapiclientidentity", "gssapidelegatecredentials",
        "gssapikexalgorithms", "gssapikeyexchange", "gssapirenewalforcesrekey",
        "gssapiserveridentity", "gssapitrustdns", "hashknownhosts", "host",
        "hostbasedacceptedalgorithms", "hostbasedalgorithms", "hostbasedauthentication",
        "hostbasedkeytypes", "hostkeyalgorithms", "hostkeyalias", "hostname", "identitiesonly",
        "identityagent", "identityfile", "identityfile2", "ignoreunknown", "include", "ipqos",
        "kbdinteractiveauthentication", "kbdinteractivedevices", "keepalive",
        "kerberosauthentication", "kerberostgtpassing", "kexalgorithms", "knownhostscommand",
        "localcommand", "localforward", "loglevel", "logverbose", "macs", "match",
        "nohostauthenticationforlocalhost", "numberofpasswordprompts", "obscurekeystroketiming",
        "passwordauthentication", "permitlocalcommand", "permitremoteopen", "pkcs11provider",
        "port", "preferredauthentications", "protocol", "proxycommand", "proxyjump",
        "proxyusefdpass", "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes",
        "pubkeyauthentication", "refuseconnection", "rekeylimit", "remotecommand", "remoteforward",
        "requesttty", "requiredrsasize", "revokedhostkeys", "rhostsauthentication",
        "rhostsrsaauthentication", "rsaauthentication", "securitykeyprovider", "sendenv",
        "serveralivecountmax", "serveraliveinterval", "sessiontype", "setenv", "skeyauthentication",
        "smartcarddevice", "stdinnull", "streamlocalbindmask", "streamlocalbindunlink",
        "stricthostkeychecking", "syslogfacility", "tag", "tcpkeepalive", "tisauthentication",
        "tunnel", "tunneldevice", "updatehostkeys", "useprivilegedport", "user",
        "userknownhostsfile", "userknownhostsfile2", "useroaming", "usersh", "verifyhostkeydns",
        "versionaddendum", "visualhostkey", "warnweakcrypto", "xauthlocation",
    ]

    /// sshd keywords whose lines accumulate (every line adds items); every other keyword
    /// takes the first line that sets it, later lines ignored (servconf.c, 8.0-10.x).
    static let serverAccumulating: Set<String> = [
        "hostkey", "hostcertificate", "listenaddress", "port", "acceptenv", "subsystem",
        "allowusers", "denyusers", "allowgroups", "denygroups",
    ]
    /// ssh keywords whose lines accumulate (readconf.c).
    static let clientAccumulating: Set<String> = [
        "identityfile", "certificatefile", "localforward", "remoteforward", "dynamicforward",
        "sendenv", "permitremoteopen",
    ]
    /// Keywords whose value is a time (`convtime`: seconds, or numbers with s/m/h/d/w).
    static let times: Set<String> = [
        "clientaliveinterval", "logingracetime", "serveraliveinterval", "connecttimeout",
        "controlpersist", "unusedconnectiontimeout", "forwardx11timeout",
    ]
    /// Keywords spelled as aliases of another (deprecated names sshd still accepts).
    static let aliases: [String: String] = [
        "pubkeyacceptedkeytypes": "pubkeyacceptedalgorithms",
        "hostbasedacceptedkeytypes": "hostbasedacceptedalgorithms", "challengeresponseauthentication": "kbdinteractiveauthentication",
        "authorizedkeysfile2": "authorizedkeysfile", "dsaauthentication": "pubkeyauthentication",
    ]
}
