# A contacts-sync secret from a new IP (48009 on names and details), alone and with an app secret beside it, against the
# sample corp served over loopback HTTP.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $script:NewIpSecret = 'sandbox-contacts-sync-secret-new-ip'
    $script:DirectoryAppSecret = 'sandbox-directory-app-secret'

    function Connect-NewIp([switch] $WithApp) {
        $app = if ($WithApp) { @{ AppSecret = ConvertTo-TestSecret $DirectoryAppSecret } } else { @{} }
        Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $NewIpSecret) -BaseUri $script:server.BaseUri @app -PassThru
    }
}

AfterAll {
    if ($script:server) { Stop-TestSandboxServer $script:server }
}

Describe 'A contacts-sync secret from a new IP with an app secret' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'holds both secrets, shows neither, and reads names and details with the app secret' {
        $connection = Connect-NewIp -WithApp
        $connection.Secrets | Should -BeExactly 'Secret, AppSecret'
        $connection.AppSecretFingerprint | Should -Not -BeNullOrEmpty
        ($connection | Format-List * -Force | Out-String) | Should -Not -Match 'sandbox-'

        $tree = Get-WeComDepartment -WarningVariable warn
        $users = Get-WeComUser -WarningVariable +warn

        $tree.Count | Should -Be 10
        ($tree | Where-Object Id -eq 5).Path | Should -BeExactly '/广州研发中心/邮箱产品部/邮箱后台组'
        $users.Count | Should -Be 24
        ($users | Where-Object UserId -eq LiSi).Name | Should -BeExactly '李四'
        $warn | Should -BeNullOrEmpty
        (Get-WeComConnection -Current).LimitedReads | Should -Match 'app secret'
    }

    It 'takes the app secret from -AppCredential or WECOM_APP_SECRET too' {
        $credential = [pscredential]::new($SandboxCorpId, (ConvertTo-TestSecret $NewIpSecret))
        $app = [pscredential]::new($SandboxCorpId, (ConvertTo-TestSecret $DirectoryAppSecret))
        (Connect-WeCom -Credential $credential -AppCredential $app -BaseUri $server.BaseUri -PassThru).Secrets | Should -BeExactly 'Secret, AppSecret'
        (Get-WeComUser -UserId LiSi).Name | Should -BeExactly '李四'

        $other = [pscredential]::new('wwother', (ConvertTo-TestSecret $DirectoryAppSecret))
        { Connect-WeCom -Credential $credential -AppCredential $other -BaseUri $server.BaseUri -ErrorAction Stop } |
            Should -Throw -ErrorId 'AppCredentialOfAnotherCorp,WeComPS.Commands.ConnectWeComCommand'

        $env:WECOM_CORP_ID = $SandboxCorpId
        $env:WECOM_CORP_SECRET = $NewIpSecret
        $env:WECOM_APP_SECRET = $DirectoryAppSecret
        $env:WECOM_BASE_URI = $server.BaseUri.AbsoluteUri
        try {
            (Connect-WeCom -PassThru).Secrets | Should -BeExactly 'Secret, AppSecret'
        }
        finally {
            Remove-Item Env:WECOM_CORP_ID, Env:WECOM_CORP_SECRET, Env:WECOM_APP_SECRET, Env:WECOM_BASE_URI
        }
    }

    It 'exports members and departments with the app secret' {
        Connect-NewIp -WithApp | Out-Null
        (Export-WeComUser -Simple).Count | Should -Be 24
        (Export-WeComDepartment).Count | Should -Be 10
    }

    It 'checks department ids against the whole corp, not against the app secret''s visible scope' {
        # The app secret of 邮箱产品部 resolves the name; department 10 (测试部) lies outside its scope but exists.
        Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $NewIpSecret) -AppSecret (ConvertTo-TestSecret $SandboxAppSecret) -BaseUri $script:server.BaseUri -Name narrow
        Set-WeComUser -UserId SunQi -Department 邮箱后台组, 10 -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -BeNullOrEmpty
        Set-WeComUser -UserId SunQi -Department 邮箱后台组, 99 -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match '\b99\b'
        Disconnect-WeCom -Name narrow
    }

    It 'is what Connect-WeCom -Sandbox holds by default' {
        (Connect-WeCom -Sandbox -Name recommended -PassThru).Secrets | Should -BeExactly 'Secret, AppSecret'
        Disconnect-WeCom recommended
    }
}

Describe 'A contacts-sync secret from a new IP alone' -Tag CI {
    BeforeAll {
        Connect-FreshCorp
        Connect-NewIp | Out-Null
    }

    It 'reads the department tree without names, with one warning that says how to get them' {
        $tree = Get-WeComDepartment -WarningVariable warn -WarningAction SilentlyContinue

        $tree.Count | Should -Be 10
        $tree | ForEach-Object { $null -eq $_.Name | Should -BeTrue }
        ($tree | Where-Object Id -eq 5).ParentId | Should -Be 2
        $warn.Count | Should -Be 1
        $warn[0] | Should -Match '48009'
        $warn[0] | Should -Match '-AppSecret'
        $warn[0] | Should -Match '企业可信IP'
        (Get-WeComConnection -Current).LimitedReads | Should -Match 'no app secret'
    }

    It 'reads every member as userid and departments, with one warning' {
        $users = Get-WeComUser -WarningVariable warn -WarningAction SilentlyContinue -ErrorVariable err

        $users.Count | Should -Be 24
        ($users | Where-Object UserId -eq HanYi).Department | Should -Be @(9, 6)
        $warn.Count | Should -Be 1
        $err | Should -BeNullOrEmpty
    }

    It 'ends a read by userid with one error, not one per id' {
        $err = { Get-WeComUser -UserId LiSi, ZhangSan, WangWu -ErrorAction Stop } |
            Should -Throw -ErrorId 'DetailsForbiddenForSyncSecret,WeComPS.Commands.GetWeComUserCommand' -PassThru
        $err.Exception.ErrCode | Should -Be 48009
        $err.ErrorDetails.RecommendedAction | Should -Match '可见范围'

        try { Get-WeComUser -UserId LiSi, ZhangSan, WangWu -ErrorVariable many } catch { }
        $many.Count | Should -Be 1
    }

    It 'ends an export of members or departments with one error that names the app secret' {
        $err = { Export-WeComDepartment -ErrorAction Stop } |
            Should -Throw -ErrorId 'DetailsForbiddenForSyncSecret,WeComPS.Commands.ExportWeComDepartmentCommand' -PassThru
        $err.Exception.Message | Should -Match 'app secret'
        (Export-WeComTagUser -TagId 1 | Where-Object MemberType -eq User).Count | Should -Be 3
    }

    It 'plans a replace of every member and of the department tree under -WhatIf' {
        $members = Get-WeComUser -WarningAction SilentlyContinue | Where-Object UserId -ne 'XiaoLiu' |
            Select-Object UserId, @{ n = 'Department'; e = { $_.Department -join ';' } }
        $members | Sync-WeComUser -Replace -WhatIf -ErrorVariable err
        $err | Should -BeNullOrEmpty

        $tree = Get-WeComDepartment -WarningAction SilentlyContinue | Select-Object Id, @{ n = 'Name'; e = { "部门$($_.Id)" } }, ParentId
        $tree | Sync-WeComDepartment -WhatIf -ErrorVariable err -WarningAction SilentlyContinue
        $err | Should -BeNullOrEmpty
        (Get-WeComUser -WarningAction SilentlyContinue).Count | Should -Be 24
    }

    It 'still changes members' {
        Set-WeComUser -UserId LiSi -Position '总监' -ErrorVariable err
        $err | Should -BeNullOrEmpty
    }
}
