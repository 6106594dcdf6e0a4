package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend/server"
)

// janitorInterval is how often serve deletes expired sessions and ended
// rate limit windows.
const janitorInterval = 10 * time.Minute

func (c *cli) serve(args []string) int {
	cmd := c.command("serve", "serve (--db FILE | --postgres URL) --base-url URL [--addr HOST:PORT] [flags]",
		"Runs the directory server until SIGINT or SIGTERM, then finishes the requests in flight and stops.\n"+
			"It logs one JSON object per line on standard error.", true)
	fs := cmd.fs
	addr := c.stringFlag(fs, "addr", "127.0.0.1:8080", "the address to listen on, HOST:PORT")
	proxies := c.stringFlag(fs, "trusted-proxy", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed")
	certFile := c.stringFlag(fs, "tls-cert", "", "a PEM certificate (chain) to serve HTTPS with; needs --tls-key")
	keyFile := c.stringFlag(fs, "tls-key", "", "the PEM private key of --tls-cert")
	level := c.stringFlag(fs, "log-level", "info", "the least level logged: debug, info, warn or error")
	mf := c.mailFlags(fs)
	oidcKey := c.stringFlag(fs, "oidc-key-file", "",
		"a file with the 32-byte key that seals the OpenID Connect provider's signing keys; created (mode 0600) if missing; "+
			"the same file on every server of one database (none: no OpenID Connect provider)")
	oidcTTL := c.stringFlag(fs, "oidc-access-token-ttl", server.DefaultAccessTokenTTL.String(),
		"how long an OpenID Connect access token is valid, like 5m")
	base, code, ok := c.parseCommand(cmd, args, required("--base-url is required", cmd.db.baseURL))
	if !ok {
		return code
	}
	trusted, err := parseCIDRs(*proxies)
	if err != nil {
		return c.usageError(fs, "%v", err)
	}
	if (*certFile == "") != (*keyFile == "") {
		return c.usageError(fs, "--tls-cert and --tls-key go together")
	}
	if *certFile != "" {
		if _, err := tls.LoadX509KeyPair(*certFile, *keyFile); err != nil {
			return c.usageError(fs, "the TLS certificate or key cannot be used: %v", err)
		}
	}
	mailCfg, err := mf.config(c.env, base)
	if err != nil {
		return c.usageError(fs, "%v", err)
	}
	ttl, err := time.ParseDuration(*oidcTTL)
	if err != nil || ttl < 10*time.Second || ttl > 24*time.Hour {
		return c.usageError(fs, "--oidc-access-token-ttl %q is not a duration from 10s to 24h, like 5m", *oidcTTL)
	}
	lvl, err := logrus.ParseLevel(*level)
	if err != nil {
		return c.usageError(fs, "--log-level %q is none of debug, info, warn, error", *level)
	}
	log := logrus.New()
	log.SetOutput(c.stderr)
	log.SetFormatter(&logrus.JSONFormatter{})
	log.SetLevel(lvl)
	// The OpenID Connect library logs through log/slog: as JSON lines too,
	// its warnings (refused requests) unless debug is asked for.
	slogLevel := slog.LevelWarn
	if lvl >= logrus.DebugLevel {
		slogLevel = slog.LevelDebug
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(c.stderr, &slog.HandlerOptions{Level: slogLevel})))

	st, err := c.open(cmd.db)
	if err != nil {
		return c.fail(err)
	}
	defer st.Close()
	u, _ := url.Parse(base)
	srvCfg := server.Config{BaseURL: u, TrustedProxies: trusted}
	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	worker, err := c.startMail(ctx, st.mail, mf, mailCfg, log)
	if err != nil {
		return c.fail(err)
	}
	if worker != nil {
		srvCfg.MailQueued = worker.Notify
		defer func() { cancel(); worker.wait() }()
	}
	if *oidcKey == "" {
		log.Info("openid connect: no --oidc-key-file, so the server is no OpenID Connect provider")
	} else {
		secret, created, err := loadKeyFile("--oidc-key-file", "openid connect key", *oidcKey)
		if err != nil {
			return c.fail(err)
		}
		if created {
			log.WithField("file", *oidcKey).Info("openid connect: created a new key file")
		}
		srvCfg.OIDC = &server.OIDCConfig{Secret: secret, AccessTokenTTL: ttl}
		log.WithFields(logrus.Fields{"issuer": base, "access_token_ttl": ttl.String()}).Info("openid connect provider")
	}
	srv, err := server.New(srvCfg, *st.Storage, log)
	if err != nil {
		return c.fail(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return c.fail(fmt.Errorf("listen on %s: %w", *addr, err))
	}
	go srv.RunJanitor(ctx, janitorInterval)
	log.WithFields(logrus.Fields{"addr": ln.Addr().String(), "base_url": base, "db": st.Where, "tls": *certFile != ""}).Info("listening")
	if err := srv.Serve(ctx, ln, *certFile, *keyFile); err != nil {
		cancel()
		log.WithError(err).Error("server stopped")
		return exitError
	}
	cancel() // the mail worker finishes the messages in flight
	log.Info("stopped")
	return exitOK
}

// parseCIDRs reads a comma-separated list of CIDRs; a bare address is one host.
func parseCIDRs(s string) ([]netip.Prefix, error) {
	var list []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("--trusted-proxy %q is not a CIDR like 10.0.0.0/8", part)
			}
			list = append(list, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, errors.New("--trusted-proxy " + fmt.Sprintf("%q", part) + " is not a CIDR like 10.0.0.0/8")
		}
		list = append(list, p.Masked())
	}
	return list, nil
}
