using System;
using System.Management.Automation;
using System.Security;
using WeComPS.Sandbox;

namespace WeComPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Connects to a WeCom corp with a corp id and a secret, and makes the connection current.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "WeCom", DefaultParameterSetName = EnvironmentSet)]
    [OutputType(typeof(WeComConnection))]
    public sealed class ConnectWeComCommand : WeComAsyncCmdlet
    {
        private const string SecretSet = "Secret";
        private const string CredentialSet = "Credential";
        private const string EnvironmentSet = "Environment";
        private const string SandboxSet = "Sandbox";

        /// <summary><para type="description">The corp id (企业ID), from 我的企业 > 企业信息.</para></summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SecretSet)]
        [ValidateNotNullOrEmpty]
        public string CorpId { get; set; } = "";

        /// <summary>
        /// <para type="description">The secret: the contacts-sync secret (管理工具 > 通讯录同步) to change the directory, or an app secret to read the app's visible scope. With -Sandbox, a sandbox secret other than the default contacts-sync one.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = SandboxSet)]
        [ValidateNotNull]
        public SecureString? Secret { get; set; }

        /// <summary><para type="description">The corp id as user name and the secret as password, e.g. from Get-Credential or a secret vault.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? Credential { get; set; }

        /// <summary>
        /// <para type="description">The secret of a self-built app of the same corp whose visible scope is the whole corp and whose trusted IPs list this machine: reads names and details where WeCom refuses them to the contacts-sync secret (48009, from an IP added after 2022-08-15).</para>
        /// </summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = SandboxSet)]
        [ValidateNotNull]
        public SecureString? AppSecret { get; set; }

        /// <summary><para type="description">The app secret as the password of a credential whose user name is the same corp id as -Credential's.</para></summary>
        [Parameter(ParameterSetName = CredentialSet)]
        [Credential]
        [ValidateNotNull]
        public PSCredential? AppCredential { get; set; }

        /// <summary><para type="description">Connects to the built-in sandbox: a sample corp served in-process, no tenant needed.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = SandboxSet)]
        public SwitchParameter Sandbox { get; set; }

        /// <summary><para type="description">Another endpoint than https://qyapi.weixin.qq.com/cgi-bin/ (a proxy, or a sandbox on loopback). https is required except on loopback.</para></summary>
        [Parameter(ParameterSetName = SecretSet)]
        [Parameter(ParameterSetName = CredentialSet)]
        [Parameter(ParameterSetName = EnvironmentSet)]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        /// <summary><para type="description">A name for the connection, so several can live side by side (e.g. one per corp, or the contacts-sync secret next to an app). Defaults to the corp id.</para></summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary><para type="description">Requests at once for reads that walk many departments or users, and for changes sent one call per item (default 8, at most 32).</para></summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int MaxConcurrency { get; set; } = WeComConnection.DefaultMaxConcurrency;

        /// <summary><para type="description">Writes the new connection, e.g. to keep it in a variable for -Connection. Without it nothing is written to the pipeline.</para></summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var connection = Create();
            connection.MaxConcurrency = MaxConcurrency;
            RunAsync(connection.ValidateAsync);
            ConnectionRegistry.Add(connection);
            if (PassThru)
            {
                WriteObject(ConnectionRegistry.Marked(connection));
            }
            else
            {
                Say(Msg.Get("ConnectedAs", connection.CorpId, connection.Name));
            }
        }

        private WeComConnection Create()
        {
            try
            {
                switch (ParameterSetName)
                {
                    case SandboxSet:
                        // By default the setup recommended for a real tenant: the contacts-sync secret and an app that sees the whole corp.
                        var secret = Secret ?? Secure(WeComSandbox.SampleContactsSecret);
                        var appSecret = AppSecret ?? (Secret is null ? Secure(WeComSandbox.SampleDirectoryAppSecret) : null);
                        return new WeComConnection(WeComSandbox.SampleCorpId, secret, ConnectionRegistry.SandboxUri, Name ?? "Sandbox", new SandboxHandler(ConnectionRegistry.Sandbox), appSecret);
                    case SecretSet:
                        return new WeComConnection(CorpId, Secret!, BaseUri, Name, AppSecret);
                    case CredentialSet:
                        if (AppCredential != null && !string.Equals(AppCredential.UserName.Trim(), Credential!.UserName.Trim(), StringComparison.OrdinalIgnoreCase))
                        {
                            throw WeComException.InvalidInput("AppCredentialOfAnotherCorp", Msg.Get("AppCredentialOfAnotherCorp", AppCredential.UserName, Credential.UserName));
                        }

                        return new WeComConnection(Credential!.UserName, Credential.Password, BaseUri, Name, AppCredential?.Password);
                    default:
                        return FromEnvironment();
                }
            }
            catch (WeComException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex, null));
                throw;
            }
        }

        /// <summary>WECOM_CORP_ID, WECOM_CORP_SECRET, optional WECOM_APP_SECRET and WECOM_BASE_URI: for runbooks, never a prompt.</summary>
        private WeComConnection FromEnvironment()
        {
            var corpId = Environment.GetEnvironmentVariable("WECOM_CORP_ID");
            var secret = Environment.GetEnvironmentVariable("WECOM_CORP_SECRET");
            if (string.IsNullOrEmpty(corpId) || string.IsNullOrEmpty(secret))
            {
                // One of the two set says the admin meant the environment: name the one that is missing.
                var missing = string.IsNullOrEmpty(corpId) == string.IsNullOrEmpty(secret) ? null : string.IsNullOrEmpty(corpId) ? "WECOM_CORP_ID" : "WECOM_CORP_SECRET";
                throw WeComException.InvalidInput(
                    "NoCredentials",
                    missing is null ? Msg.Get("NoCredentials") : Msg.Get("NoCredentialsVariable", missing));
            }

            var baseUri = BaseUri;
            var fromEnvironment = Environment.GetEnvironmentVariable("WECOM_BASE_URI");
            if (baseUri is null && !string.IsNullOrEmpty(fromEnvironment))
            {
                baseUri = Uri.TryCreate(fromEnvironment, UriKind.Absolute, out var parsed)
                    ? parsed
                    : throw WeComException.InvalidInput("InvalidBaseUri", Msg.Get("EnvBaseUriInvalid", fromEnvironment));
            }

            var app = Environment.GetEnvironmentVariable("WECOM_APP_SECRET");
            return new WeComConnection(corpId!, Secure(secret!), baseUri, Name, string.IsNullOrEmpty(app) ? null : Secure(app!));
        }

        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
