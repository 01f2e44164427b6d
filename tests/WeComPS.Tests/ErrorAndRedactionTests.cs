using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    public class ErrorAndRedactionTests
    {
        [Fact]
        public async Task Wrong_secret_is_reported_as_such()
        {
            await using var corp = await TestCorp.StartAsync();
            var error = await Assert.ThrowsAsync<WeComException>(() => corp.Connect("not-the-secret").ValidateAsync(CancellationToken.None));

            Assert.Equal("InvalidSecret", error.ErrorId);
            Assert.Equal("gettoken", error.ApiPath);
            Assert.DoesNotContain("not-the-secret", error.ToString());
        }

        [Fact]
        public async Task Neither_secret_nor_token_appear_in_errors_or_logs()
        {
            await using var corp = await TestCorp.StartAsync();
            var log = new RecordingLog();
            var connection = corp.Connect();
            using (WeComLog.Listen(log))
            {
                await connection.ValidateAsync(CancellationToken.None);
                corp.Sandbox.Inject("user/list", SandboxFault.Error(-1));
                corp.Sandbox.Inject("user/get", SandboxFault.ConnectionReset(), times: 10);
                await connection.Users.GetByDepartmentAsync(new[] { 1 }, recurse: true).ToListAsync();
                var failed = await connection.Users.GetAsync(new[] { "LiSi" }).ToListAsync();
                log.Verbose(failed[0].Error!.ToString());
            }

            var token = TokenValueOf(corp);
            Assert.NotEmpty(log.Text);
            Assert.Contains("gettoken?corpid=" + corp.Sandbox.CorpId + "&corpsecret=***", log.Text);
            Assert.DoesNotContain(WeComSandbox.SampleContactsSecret, log.Text);
            Assert.DoesNotContain(token, log.Text);
            Assert.DoesNotContain("access_token=", log.Text);
            Assert.DoesNotContain(WeComSandbox.SampleContactsSecret, connection.ToString());
        }

        [Fact]
        public void Plain_http_is_refused_except_on_loopback()
        {
            var error = Assert.Throws<WeComException>(() => new WeComConnection("ww1", TestCorp.Secure("s"), new Uri("http://example.com/cgi-bin/")));
            Assert.Equal("InsecureBaseUri", error.ErrorId);
            Assert.Equal(new Uri("http://127.0.0.1:5000/cgi-bin/"), WeComConnection.NormalizeBaseUri(new Uri("http://127.0.0.1:5000/cgi-bin")));
        }

        [Fact]
        public void Every_errcode_has_an_id_and_a_meaning()
        {
            Assert.Equal("UserNotFound", WeComErrorCatalog.Describe(46004).ErrorId);
            Assert.Equal("NoPrivilege", WeComErrorCatalog.Describe(60011).ErrorId);
            Assert.True(WeComErrorCatalog.Describe(-1).Transient);
            Assert.False(WeComErrorCatalog.Describe(60020).Transient);
            var unknown = WeComErrorCatalog.Describe(12345);
            Assert.Equal("WeComApiError", unknown.ErrorId);
            Assert.Contains("e=12345", unknown.Meaning);
        }

        private static string TokenValueOf(TestCorp corp)
        {
            // Ask the sandbox for the token it issued (same answer within its validity).
            using var http = new HttpClient();
            var json = http.GetStringAsync(new Uri(corp.Server.BaseUri, $"gettoken?corpid={corp.Sandbox.CorpId}&corpsecret={WeComSandbox.SampleContactsSecret}")).GetAwaiter().GetResult();
            var token = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("access_token").GetString()!;
            Assert.True(token.Length > 20);
            return token;
        }

        private sealed class RecordingLog : IWeComLogListener
        {
            private readonly System.Text.StringBuilder _text = new System.Text.StringBuilder();

            public string Text
            {
                get
                {
                    lock (_text)
                    {
                        return _text.ToString();
                    }
                }
            }

            public void Verbose(string message)
            {
                lock (_text)
                {
                    _text.AppendLine(message);
                }
            }

            public void Debug(string message) => Verbose(message);

            public void Warning(string message) => Verbose(message);
        }
    }
}
