BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $server = Start-TestSandboxServer
}

AfterAll {
    Stop-TestSandboxServer $server
}

Describe 'Connect-WeCom' -Tag CI {
    AfterEach {
        Get-WeComConnection | Disconnect-WeCom
    }

    It 'connects to the built-in sandbox and makes it current' {
        $connection = Connect-WeCom -Sandbox -PassThru
        $connection | Should -BeOfType ([WeComPS.WeComConnection])
        $connection.CorpId | Should -BeExactly $SandboxCorpId
        $connection.TokenExpiresOn | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(100))
        (Get-WeComConnection -Current).Name | Should -BeExactly 'Sandbox'
    }

    It 'connects with a corp id and a secret over HTTP' {
        $connection = Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $SandboxSecret) -BaseUri $server.BaseUri -PassThru
        $connection.BaseUri | Should -Be $server.BaseUri
        (Get-WeComDepartment).Count | Should -Be 10
    }

    It 'says what is wrong with an endpoint that is no URI, or lacks /cgi-bin/, and which variable is missing' {
        { Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $SandboxSecret) -BaseUri 'not a uri' } |
            Should -Throw -ErrorId 'InvalidBaseUri,WeComPS.Commands.ConnectWeComCommand' -ExpectedMessage '*not an absolute URI*'
        # The sandbox server at its root answers, but not as WeCom does: the hint names the missing path.
        $root = [uri]::new($server.BaseUri, '/')
        { Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $SandboxSecret) -BaseUri $root } | Should -Throw -ExpectedMessage '*no /cgi-bin/*'
        $env:WECOM_CORP_ID = $SandboxCorpId
        try {
            { Connect-WeCom } | Should -Throw -ErrorId 'NoCredentials,WeComPS.Commands.ConnectWeComCommand' -ExpectedMessage '*WECOM_CORP_SECRET is not set*'
        }
        finally { Remove-Item Env:WECOM_CORP_ID }
    }

    It 'connects with a credential whose user name is the corp id' {
        $credential = [pscredential]::new($SandboxCorpId, (ConvertTo-TestSecret $SandboxSecret))
        Connect-WeCom -Credential $credential -BaseUri $server.BaseUri -Name cred | Out-Null
        (Get-WeComTag).Count | Should -Be 3
    }

    It 'connects from environment variables without prompting' {
        $env:WECOM_CORP_ID = $SandboxCorpId
        $env:WECOM_CORP_SECRET = $SandboxSecret
        $env:WECOM_BASE_URI = $server.BaseUri.AbsoluteUri
        try {
            $connection = Connect-WeCom -PassThru
            $connection.BaseUri | Should -Be $server.BaseUri
        }
        finally {
            Remove-Item Env:WECOM_CORP_ID, Env:WECOM_CORP_SECRET, Env:WECOM_BASE_URI
        }
    }

    It 'says what to do when no credentials are given' {
        { Connect-WeCom -ErrorAction Stop } | Should -Throw -ErrorId 'NoCredentials,WeComPS.Commands.ConnectWeComCommand'
    }

    It 'rejects a wrong secret with the WeCom error' {
        $err = { Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret 'wrong') -BaseUri $server.BaseUri -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidSecret,WeComPS.Commands.ConnectWeComCommand' -PassThru
        $err.Exception.ErrCode | Should -Be 40001
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        Get-WeComConnection | Should -BeNullOrEmpty
    }

    It 'refuses plain http to anything but loopback' {
        { Connect-WeCom -CorpId x -Secret (ConvertTo-TestSecret 's') -BaseUri 'http://example.com/cgi-bin/' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InsecureBaseUri,WeComPS.Commands.ConnectWeComCommand'
    }

    It 'keeps named connections side by side and selects by name' {
        Connect-WeCom -Sandbox -Name sync | Out-Null
        Connect-WeCom -Sandbox -Name app -Secret (ConvertTo-TestSecret $SandboxAppSecret) | Out-Null
        (Get-WeComConnection).Name | Sort-Object | Should -Be @('app', 'sync')
        (Get-WeComConnection -Current).Name | Should -BeExactly 'app'
        (Get-WeComDepartment).Count | Should -Be 3
        (Get-WeComDepartment -Connection sync).Count | Should -Be 10
        { Get-WeComDepartment -Connection nosuch -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,WeComPS.Commands.GetWeComDepartmentCommand'
    }

    It 'never shows the secret or the token' {
        $DebugPreference = 'Continue'  # not -Debug, which means Inquire on Windows PowerShell 5.1
        $connection = Connect-WeCom -Sandbox -PassThru -Verbose 4>&1 5>&1
        $text = ($connection | Format-List * -Force | Out-String) + ($connection | Out-String)
        $text | Should -Not -Match $SandboxSecret
        $text | Should -Not -Match 'sandbox-directory-app-secret'
        $text | Should -Not -Match 'access_token='
        $text | Should -Not -Match 'sbx[0-9a-f]{20}'
    }
}

Describe 'Disconnect-WeCom' -Tag CI {
    It 'forgets the current connection' {
        Connect-WeCom -Sandbox | Out-Null
        Disconnect-WeCom
        Get-WeComConnection | Should -BeNullOrEmpty
        { Get-WeComUser -ErrorAction Stop } | Should -Throw -ErrorId 'NotConnected,WeComPS.Commands.GetWeComUserCommand'
    }
}

Describe 'about_WeComPS' -Tag CI {
    It 'ships the conceptual help topic with the module' {
        Get-Help about_WeComPS | Out-String | Should -Match 'WHICH SECRET FOR WHAT'
    }
}
