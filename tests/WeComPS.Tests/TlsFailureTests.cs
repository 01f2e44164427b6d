using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS.Tests
{
    /// <summary>An endpoint whose certificate the client refuses: the error says why, and nothing was sent.</summary>
    public sealed class TlsFailureTests
    {
        [Fact]
        public async Task A_certificate_for_another_host_from_an_untrusted_root_is_named_and_nothing_is_sent()
        {
            await using var server = TlsServer.Start("wecom-proxy.example");
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect(maxAttempts: 3, baseUri: new Uri($"https://127.0.0.1:{server.Port}/cgi-bin/"));

            var error = await Assert.ThrowsAsync<WeComException>(() => connection.InvokeAsync("POST", "user/create", null, new Dictionary<string, object> { ["userid"] = "x" }, CancellationToken.None));

            Assert.Equal("TlsHandshakeFailed", error.ErrorId);
            Assert.Contains("TLS", error.Message);
            Assert.Contains("127.0.0.1:" + server.Port, error.Message);
            // The real reason, from the handshake: the name does not match and the chain is not trusted.
            Assert.Contains("RemoteCertificateNameMismatch", error.Message);
            Assert.Contains("RemoteCertificateChainErrors", error.Message);
            Assert.DoesNotContain("network path", error.Message);
            Assert.Contains("certificate", error.RecommendedAction);
            Assert.False(error.OutcomeUnknown);
            Assert.True(error.IsTransportFailure);
            Assert.True(error.AffectsAllItems);
            // Not retried (a certificate does not heal in seconds), and no HTTP request ever reached the server.
            Assert.Equal(1, server.Handshakes);
            Assert.Equal(0, server.BytesAfterHandshake);
        }

        [Fact]
        public async Task Connecting_to_such_an_endpoint_says_the_certificate_not_the_path()
        {
            await using var server = TlsServer.Start("wecom-proxy.example");
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect(baseUri: new Uri($"https://127.0.0.1:{server.Port}/"));

            var error = await Assert.ThrowsAsync<WeComException>(() => connection.ValidateAsync(CancellationToken.None));

            Assert.Equal("TlsHandshakeFailed", error.ErrorId);
            Assert.DoesNotContain("/cgi-bin/", error.Message);
        }

        [Fact]
        public void The_reason_comes_from_the_innermost_tls_exceptions_and_other_failures_have_none()
        {
            var tls = new System.Net.Http.HttpRequestException("The SSL connection could not be established, see inner exception.",
                new System.Security.Authentication.AuthenticationException("Authentication failed, see inner exception.", new Exception("SSL Handshake failed with OpenSSL error - SSL_ERROR_SSL.")));

            Assert.Equal("SSL Handshake failed with OpenSSL error - SSL_ERROR_SSL", WeComClient.TlsReason(tls));
            Assert.Null(WeComClient.TlsReason(new System.Net.Http.HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))));
        }

        /// <summary>A loopback TLS server with a self-signed certificate for <c>host</c>; it counts handshakes and any bytes after one.</summary>
        private sealed class TlsServer : IAsyncDisposable
        {
            private readonly TcpListener _listener;
            private readonly X509Certificate2 _certificate;
            private readonly Task _accepting;
            private int _handshakes;
            private int _bytes;

            private TlsServer(string host)
            {
                using var key = RSA.Create(2048);
                var request = new CertificateRequest("CN=" + host, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                var names = new SubjectAlternativeNameBuilder();
                names.AddDnsName(host);
                request.CertificateExtensions.Add(names.Build());
                using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
                _certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
                _listener = new TcpListener(IPAddress.Loopback, 0);
                _listener.Start();
                _accepting = AcceptAsync();
            }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
            public int Handshakes => Volatile.Read(ref _handshakes);
            public int BytesAfterHandshake => Volatile.Read(ref _bytes);

            public static TlsServer Start(string host) => new TlsServer(host);

            private async Task AcceptAsync()
            {
                while (true)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync();
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    _ = Task.Run(async () =>
                    {
                        using (client)
                        using (var ssl = new SslStream(client.GetStream()))
                        {
                            Interlocked.Increment(ref _handshakes);
                            try
                            {
                                await ssl.AuthenticateAsServerAsync(_certificate);
                                var buffer = new byte[4096];
                                Interlocked.Add(ref _bytes, await ssl.ReadAsync(buffer));
                            }
                            catch (Exception)
                            {
                                // The client refused the certificate and closed the connection.
                            }
                        }
                    });
                }
            }

            public async ValueTask DisposeAsync()
            {
                _listener.Stop();
                await _accepting;
                _certificate.Dispose();
            }
        }
    }
}
